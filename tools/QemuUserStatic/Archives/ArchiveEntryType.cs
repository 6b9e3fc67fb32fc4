namespace QemuUserStatic.Archives;

/// <summary>What an archive entry is, whatever the archive format (cpio, tar, a folder).</summary>
public enum ArchiveEntryType
{
    /// <summary>A regular file with content.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link; the target is in the entry's link target.</summary>
    SymbolicLink,

    /// <summary>A hard link to an earlier entry (tar); the target is in the entry's link target.</summary>
    HardLink,

    /// <summary>Anything else: devices, FIFOs, sockets.</summary>
    Other,
}
