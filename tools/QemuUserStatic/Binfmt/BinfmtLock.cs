using System.Diagnostics;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// An exclusive flock(2) on a binfmt_misc mount folder, held while a run reads and changes the table, so that two
/// runs (two CI steps, two containers) never interleave their removals and registrations.
/// </summary>
/// <remarks>
/// The folder itself is locked, not a file in /run or /tmp: every mount of one binfmt_misc instance shares the same
/// root inode, so the lock is seen by runs in other mount namespaces and containers, which do not share /run; it
/// needs no writable place, and leaves nothing behind (the kernel drops it when the process ends, even on kill -9).
/// The generated /register script takes the same lock with flock(1) where the image has it.
/// </remarks>
public sealed class BinfmtLock : IDisposable
{
    /// <summary>How long a run waits for another one before it gives up (a run takes well under a second).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private int fd;

    private BinfmtLock(int fd) => this.fd = fd;

    /// <summary>Waits up to <see cref="Timeout"/> for the lock on <paramref name="folder"/>.</summary>
    public static BinfmtLock Take(string folder)
    {
        var fd = KernelCalls.OpenFolder(folder);
        if (fd < 0)
        {
            throw new BinfmtCallException(folder, WriteStage.Open, -fd);
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var errno = KernelCalls.TryLockExclusive(fd);
            if (errno == 0)
            {
                return new BinfmtLock(fd);
            }

            // Polled rather than a blocking flock(2), so that a run stuck elsewhere ends this one with a sentence.
            if (errno != KernelCalls.WouldBlock || clock.Elapsed >= Timeout)
            {
                KernelCalls.CloseDescriptor(fd);
                throw errno == KernelCalls.WouldBlock
                    ? new UserException(BinfmtMessages.Fill(BinfmtMessages.LockTimeout, ("mount", Common.PrintableText.Escape(folder))))
                    : new BinfmtCallException(folder, WriteStage.Open, errno);
            }

            Thread.Sleep(Poll);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (fd >= 0)
        {
            KernelCalls.CloseDescriptor(fd);
            fd = -1;
        }
    }
}
