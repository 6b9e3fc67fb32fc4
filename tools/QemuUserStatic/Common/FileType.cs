namespace QemuUserStatic.Common;

/// <summary>What a path names, as lstat(2) or stat(2) tells it (the st_mode type bits).</summary>
public enum FileType
{
    /// <summary>Nothing at that path.</summary>
    Missing,

    /// <summary>A regular file: the only kind an input's content is read from.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (lstat only).</summary>
    SymbolicLink,

    /// <summary>A FIFO (named pipe): opening it for reading blocks until a writer comes.</summary>
    Fifo,

    /// <summary>A character device (/dev/zero, a terminal).</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A Unix socket.</summary>
    Socket,
}
