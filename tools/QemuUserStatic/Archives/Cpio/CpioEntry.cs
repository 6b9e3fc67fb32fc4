namespace QemuUserStatic.Archives.Cpio;

/// <summary>One member of a cpio "newc" archive (the RPM payload format), with its data stream.</summary>
/// <param name="Name">The name as stored, usually <c>./usr/bin/...</c> in RPM payloads.</param>
/// <param name="Mode">The full st_mode: file type bits and permissions.</param>
/// <param name="Size">Data size in bytes (a symbolic link's data is its target).</param>
/// <param name="Inode">Inode number, shared by the names of a hard-linked file.</param>
/// <param name="LinkCount">Number of links; hard-linked files carry their data in the last of their names.</param>
/// <param name="ModificationTime">mtime, seconds since the epoch.</param>
internal sealed record CpioEntry(string Name, uint Mode, long Size, uint Inode, uint LinkCount, long ModificationTime)
{
    /// <summary>What the entry is, from the file type bits of <see cref="Mode"/>.</summary>
    public ArchiveEntryType Type => TypeOf(Mode);

    /// <summary>What an st_mode describes, from its file type bits (RPM's FILEMODES use the same encoding).</summary>
    public static ArchiveEntryType TypeOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => ArchiveEntryType.RegularFile,
        0x4000 => ArchiveEntryType.Directory,
        0xA000 => ArchiveEntryType.SymbolicLink,
        _ => ArchiveEntryType.Other,
    };

    /// <summary>The permission bits of <see cref="Mode"/>.</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);

    /// <summary>The target of a symbolic link (its data), read by the reader; null for other types.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>The entry's data; readable until the next entry is requested from the reader.</summary>
    public Stream DataStream { get; init; } = Stream.Null;
}
