namespace QemuUserStatic.Common;

/// <summary>
/// A staging folder that this run holds locked (<see cref="FolderLock"/>) while it lives, created after removing
/// every stale one of ours beside it: one a run left when it was killed (kill -9, a cancelled CI job), whose lock
/// the kernel has dropped. A folder another running process still holds is left alone, and so is anything whose
/// name is not ours. Creation and clean-up both hold the parent folder's lock, so a clean-up never sees a new
/// folder before its owner has locked it.
/// </summary>
internal sealed class StagingLease : IDisposable
{
    private readonly FolderLock hold;

    private StagingLease(string path, FolderLock hold)
    {
        Path = path;
        this.hold = hold;
    }

    /// <summary>The staging folder (created, empty).</summary>
    public string Path { get; }

    /// <summary>
    /// Removes the stale folders in <paramref name="parent"/> that <paramref name="isOurs"/> recognises by name, then
    /// creates and locks <paramref name="parent"/>/<paramref name="name"/>.
    /// </summary>
    public static StagingLease Begin(string parent, string name, Func<string, bool> isOurs)
    {
        using var parentLock = FolderLock.Acquire(parent);
        RemoveStale(parent, isOurs);
        var path = System.IO.Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        return new StagingLease(path, FolderLock.Acquire(path));
    }

    /// <summary>Releases the lock (the folder itself is its owner's to move or delete).</summary>
    public void Dispose() => hold.Dispose();

    private static void RemoveStale(string parent, Func<string, bool> isOurs)
    {
        // A link named like ours is not ours: it is never followed, nor removed.
        var ours = Directory.EnumerateDirectories(parent)
            .Where(f => isOurs(System.IO.Path.GetFileName(f)) && new DirectoryInfo(f).LinkTarget is null);
        foreach (var folder in ours)
        {
            using var stale = FolderLock.TryAcquire(folder);
            if (stale is null)
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover this run cannot remove must not stop it; the next run tries again.
            }
        }
    }
}
