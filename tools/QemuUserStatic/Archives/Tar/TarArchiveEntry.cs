namespace QemuUserStatic.Archives.Tar;

/// <summary>One entry of a tar archive as <see cref="TarArchiveReader"/> reads it, long names and PAX records applied.</summary>
/// <param name="Name">The entry's name as stored (GNU long name or PAX path when there is one).</param>
/// <param name="Type">What the entry is.</param>
/// <param name="Mode">The permission bits.</param>
/// <param name="Size">Data size in bytes.</param>
/// <param name="LinkTarget">The target of a symbolic or hard link; empty for other types.</param>
internal sealed record TarArchiveEntry(string Name, ArchiveEntryType Type, UnixFileMode Mode, long Size, string LinkTarget)
{
    /// <summary>The entry's data; readable until the next entry is requested from the reader.</summary>
    public Stream DataStream { get; init; } = Stream.Null;
}
