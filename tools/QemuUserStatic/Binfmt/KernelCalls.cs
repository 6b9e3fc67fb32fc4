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
/// one write(2) per command (the kernel parses each write as a whole line) and mount(2).
/// </summary>
internal static class KernelCalls
{
    private const int OpenWriteOnly = 1; // O_WRONLY
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC

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

    /// <summary>The C library's text for an errno (strerror), as shells and coreutils print it.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true)]
    private static extern int Mount(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string source,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string fileSystemType,
        nuint flags,
        nint data);
}
