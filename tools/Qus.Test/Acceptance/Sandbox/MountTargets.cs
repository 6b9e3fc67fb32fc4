namespace QemuUserStatic.Acceptance.Sandbox;

/// <summary>
/// The files and folders made inside an unpacked image for binds over paths the image lacks, shared by the runs that
/// bind there at the same time (the guests run in parallel): made by the first, removed when the last has ended, so
/// that no run's bind loses its mount point while it runs and the image is left as it was.
/// </summary>
internal sealed class MountTargets
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> users = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="target"/> (a folder or an empty file) unless the image has it; counts this run as its user.</summary>
    public void Acquire(string target, bool folder)
    {
        lock (gate)
        {
            if (users.TryGetValue(target, out var count))
            {
                users[target] = count + 1;
                return;
            }

            if (Path.Exists(target))
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (folder)
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                File.WriteAllBytes(target, []);
            }

            users[target] = 1;
        }
    }

    /// <summary>Ends this run's use of <paramref name="target"/>: the last user removes what was made.</summary>
    public void Release(string target)
    {
        lock (gate)
        {
            if (!users.TryGetValue(target, out var count))
            {
                return;
            }

            if (count > 1)
            {
                users[target] = count - 1;
                return;
            }

            users.Remove(target);
            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }
            else
            {
                File.Delete(target);
            }
        }
    }
}
