using Microsoft.Win32.SafeHandles;

namespace QemuUserStatic.Common;

/// <summary>
/// An exclusive flock(2) on a folder, held until disposed. The kernel drops it when its process ends, however it
/// ends (kill -9 included), so a folder whose lock is free belongs to no living run. On a file system without
/// locks every folder looks held, so nothing is ever taken for stale there.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    private readonly SafeFileHandle? handle;

    private FolderLock(SafeFileHandle? handle) => this.handle = handle;

    /// <summary>Locks <paramref name="folder"/>, waiting while another process holds it (holds nothing where locks are unsupported).</summary>
    public static FolderLock Acquire(string folder)
    {
        var (handle, errno) = PosixCalls.OpenFolder(folder);
        if (handle is null)
        {
            throw new IOException($"{folder}: cannot open the folder to lock it: {PosixCalls.Describe(errno)}");
        }

        if (PosixCalls.LockExclusively(handle, wait: true) != 0)
        {
            // No locks on this file system (some network ones): go on unlocked; cleaners then never see it free.
            handle.Dispose();
            return new FolderLock(null);
        }

        return new FolderLock(handle);
    }

    /// <summary>Locks <paramref name="folder"/> if no process holds it; null when one does, or when it is gone or cannot be locked.</summary>
    public static FolderLock? TryAcquire(string folder)
    {
        var (handle, _) = PosixCalls.OpenFolder(folder);
        if (handle is null)
        {
            return null;
        }

        if (PosixCalls.LockExclusively(handle, wait: false) != 0)
        {
            handle.Dispose();
            return null;
        }

        return new FolderLock(handle);
    }

    /// <inheritdoc />
    public void Dispose() => handle?.Dispose();
}
