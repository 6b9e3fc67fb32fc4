using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QemuUserStatic.Common;

/// <summary>
/// The file-system calls .NET has no API for: a folder opened for flock(2), the lock itself, an atomic exchange of
/// two paths (renameat2 RENAME_EXCHANGE). Every descriptor is close-on-exec, so child processes (docker) never
/// inherit one.
/// </summary>
public static partial class PosixCalls
{
    /// <summary>errno EINTR: interrupted by a signal, try again.</summary>
    public const int Interrupted = 4;

    /// <summary>errno EWOULDBLOCK: another process holds the lock.</summary>
    public const int WouldBlock = 11;

    /// <summary>errno ENOENT.</summary>
    public const int NoSuchFile = 2;

    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const uint RenameExchange = 2; // RENAME_EXCHANGE

    /// <summary>Opens <paramref name="folder"/> read-only as a directory; returns the handle, or errno.</summary>
    public static (SafeFileHandle? Handle, int Errno) OpenFolder(string folder)
    {
        var fd = Open(folder, OpenReadOnlyDirectory | OpenCloseOnExec);
        return fd < 0 ? (null, Marshal.GetLastPInvokeError()) : (new SafeFileHandle(fd, ownsHandle: true), 0);
    }

    /// <summary>flock(LOCK_EX) on <paramref name="handle"/>, waiting or not; returns errno, 0 when locked.</summary>
    public static int LockExclusively(SafeFileHandle handle, bool wait)
    {
        while (true)
        {
            if (Flock(handle, LockExclusive | (wait ? 0 : LockNonBlocking)) == 0)
            {
                return 0;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Interrupted)
            {
                return errno;
            }
        }
    }

    /// <summary>Exchanges <paramref name="first"/> and <paramref name="second"/> in one step; returns errno, 0 on success.</summary>
    public static int Exchange(string first, string second) =>
        RenameAt2(AtCurrentDirectory, first, AtCurrentDirectory, second, RenameExchange) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Makes <paramref name="newPath"/> a hard link to <paramref name="existing"/> (a link itself, not followed); returns errno, 0 on success.</summary>
    public static int HardLink(string existing, string newPath) =>
        Link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The C library's text for an errno (strerror).</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
