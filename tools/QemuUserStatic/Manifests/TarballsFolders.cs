using QemuUserStatic.Cli;

namespace QemuUserStatic.Manifests;

/// <summary>
/// Where qus-tarballs output folders are: a path is one (it holds <c>manifest.json</c>) or a folder of them, as
/// <c>actions/download-artifact</c> leaves several artifacts (its sub-folders are taken in name order, so that the same
/// files give the same images and release every run).
/// </summary>
public static class TarballsFolders
{
    /// <summary>Every tarballs folder <paramref name="paths"/> name, in their order; a path that is neither is a user error.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var folders = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(Path.Combine(path, ReleaseManifest.FileName)))
            {
                folders.Add(path);
                continue;
            }

            if (!Directory.Exists(path))
            {
                throw new UserException($"{path}: no such folder", ExitCodes.Usage);
            }

            var inside = new DirectoryInfo(path).EnumerateDirectories()
                .Where(d => File.Exists(Path.Combine(d.FullName, ReleaseManifest.FileName)))
                .Select(d => Path.Combine(path, d.Name))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();
            if (inside.Count == 0)
            {
                throw new UserException($"{path}: neither a qus-tarballs folder nor a folder of them (no {ReleaseManifest.FileName})", ExitCodes.Usage);
            }

            folders.AddRange(inside);
        }

        return folders;
    }
}
