namespace QemuUserStatic.Sandbox;

/// <summary>
/// Paths inside a root file system folder resolved the way a process chrooted there would see them: symbolic links
/// are followed relative to the folder (an absolute target starts again at its top) and <c>..</c> stops at the top,
/// so no path from an image can lead outside the folder.
/// </summary>
internal static class PathInRoot
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The host path of <paramref name="path"/> inside <paramref name="root"/>, every symbolic link followed; with
    /// <paramref name="createFolders"/>, missing folders on the way are created.
    /// </summary>
    public static string Resolve(string root, string path, bool createFolders = false) => Walk(root, path, createFolders);

    /// <summary>
    /// The host path for an entry called <paramref name="path"/> inside <paramref name="root"/>: its folder resolved
    /// (links followed, created if missing), its own name kept, so the entry itself can be replaced.
    /// </summary>
    public static string ForEntry(string root, string path)
    {
        var parts = Split(path);
        if (parts.Count == 0)
        {
            return Path.GetFullPath(root);
        }

        var folder = Walk(root, string.Join('/', parts.Take(parts.Count - 1)), createFolders: true);
        return Path.Combine(folder, parts[^1]);
    }

    /// <summary>The components of <paramref name="path"/>, without empty ones, <c>.</c> and leading <c>..</c> at the top.</summary>
    public static IReadOnlyList<string> Split(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts;
    }

    private static string Walk(string root, string path, bool createFolders)
    {
        var top = Path.GetFullPath(root);
        var done = new List<string>();
        var pending = new LinkedList<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (done.Count > 0)
                {
                    done.RemoveAt(done.Count - 1);
                }

                continue;
            }

            var candidate = Path.Combine(top, Path.Combine([.. done, part]));
            var target = new FileInfo(candidate).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"{path}: too many levels of symbolic links inside {top}");
                }

                if (target.StartsWith('/'))
                {
                    done.Clear();
                }

                foreach (var linked in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.AddFirst(linked);
                }

                continue;
            }

            if (createFolders && target is null && !Directory.Exists(candidate))
            {
                if (File.Exists(candidate))
                {
                    throw new IOException($"{path}: {string.Join('/', done.Append(part))} is a file, not a folder, inside {top}");
                }

                Directory.CreateDirectory(candidate);
            }

            done.Add(part);
        }

        return done.Count == 0 ? top : Path.Combine(top, Path.Combine([.. done]));
    }
}
