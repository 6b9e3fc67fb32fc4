namespace QemuUserStatic.Binfmt;

/// <summary>The Linux errno values binfmt_misc and mount(2) answer with, the ones a user gets a sentence for.</summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Operation not permitted (mount without CAP_SYS_ADMIN).</summary>
    EPERM = 1,

    /// <summary>No such file or directory (binfmt_misc not mounted, interpreter missing with F).</summary>
    ENOENT = 2,

    /// <summary>Exec format error (an interpreter this host cannot run).</summary>
    ENOEXEC = 8,

    /// <summary>Permission denied (not root, interpreter not executable).</summary>
    EACCES = 13,

    /// <summary>File exists (an entry of that name is registered).</summary>
    EEXIST = 17,

    /// <summary>No such device (a kernel without binfmt_misc).</summary>
    ENODEV = 19,

    /// <summary>Invalid argument (a register line the kernel cannot parse).</summary>
    EINVAL = 22,

    /// <summary>Read-only file system (/proc/sys in an unprivileged container).</summary>
    EROFS = 30,
}
