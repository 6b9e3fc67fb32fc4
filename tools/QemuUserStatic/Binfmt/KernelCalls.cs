using System.Runtime.InteropServices;

namespace QemuUserStatic.Binfmt;

/// <summary>Where a write to a binfmt_misc file failed: opening it, or the kernel refusing what was written.</summary>
public enum WriteStage
{
    /// <summary>open(2) failed: the file is missing or not writable.</summary>
    Open,

    /// <summary>write(2) failed: the kernel refused the contents.</summary>
    Write,
}

/// <summary>
/// The system calls binfmt_misc needs, called directly so that the kernel's errno reaches the caller unchanged:
/// one write(2) per command (the kernel parses each write as a whole line), mount(2), statfs(2) and flock(2).
/// </summary>
public static class KernelCalls
{
    /// <summary>statfs(2)'s f_type of a binfmt_misc file system (BINFMTFS_MAGIC, "BINM").</summary>
    public const long BinfmtMiscMagic = 0x42494e4d;

    /// <summary>EWOULDBLOCK (EAGAIN): flock(2) with LOCK_NB on a lock another process holds.</summary>
    public const int WouldBlock = 11;

    private const int OpenReadOnly = 0; // O_RDONLY
    private const int OpenWriteOnly = 1; // O_WRONLY
    private const int OpenDirectory = 0x10000; // O_DIRECTORY
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> in one write(2); returns the failing stage and errno.</summary>
    public static (WriteStage Stage, int Errno) WriteOnce(string path, byte[] bytes)
    {
        var fd = Open(path, OpenWriteOnly | OpenCloseOnExec);
        if (fd < 0)
        {
            return (WriteStage.Open, Marshal.GetLastPInvokeError());
        }

        try
        {
            var written = Write(fd, bytes, bytes.Length);
            return written < 0 ? (WriteStage.Write, Marshal.GetLastPInvokeError()) : (WriteStage.Write, 0);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Mounts a binfmt_misc instance on <paramref name="target"/>; returns errno, 0 on success.</summary>
    public static int MountBinfmtMisc(string target) =>
        Mount("binfmt_misc", target, "binfmt_misc", 0, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The file system type (statfs(2)'s f_type) of <paramref name="path"/>, or the errno.</summary>
    public static (long Type, int Errno) FileSystemType(string path)
    {
        // struct statfs is 120 bytes on 64-bit Linux (84 on 32-bit); f_type, a machine word, comes first.
        var buffer = new byte[256];
        if (Statfs(path, buffer) != 0)
        {
            return (0, Marshal.GetLastPInvokeError());
        }

        return (IntPtr.Size == 8 ? BitConverter.ToInt64(buffer) : BitConverter.ToInt32(buffer), 0);
    }

    /// <summary>Opens a folder for reading (to lock it): the descriptor, or minus the errno.</summary>
    public static int OpenFolder(string path)
    {
        var fd = Open(path, OpenReadOnly | OpenDirectory | OpenCloseOnExec);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Takes an exclusive flock(2) on <paramref name="fd"/> without waiting: 0, or the errno (<see cref="WouldBlock"/>).</summary>
    public static int TryLockExclusive(int fd) =>
        Flock(fd, LockExclusive | LockNonBlocking) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Closes a descriptor (which drops its flock).</summary>
    public static void CloseDescriptor(int fd) => _ = Close(fd);

    /// <summary>The C library's text for an errno (strerror), as shells and coreutils print it.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "statfs", SetLastError = true)]
    private static extern int Statfs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    private static extern int Mount(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string source,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string fileSystemType,
        nuint flags,
        nint data);
}
