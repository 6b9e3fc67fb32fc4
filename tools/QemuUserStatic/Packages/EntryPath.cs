namespace QemuUserStatic.Packages;

/// <summary>
/// The one place that decides whether a name inside a package is safe: relative, no <c>..</c>, no NUL or other
/// control character (names reach logs and manifests), and links
/// that stay inside the package. Unsafe entries are refused with <see cref="InvalidDataException"/> (the
/// package readers turn it into a one-line error naming the package); nothing unsafe reaches a file system call.
/// </summary>
public static class EntryPath
{
    /// <summary>
    /// <paramref name="raw"/> as a clean relative path (<c>./usr/bin/x</c> → <c>usr/bin/x</c>, the root → empty),
    /// or an error for absolute paths, <c>..</c> components, NUL bytes and other control characters.
    /// </summary>
    public static string Normalize(string raw)
    {
        if (raw.Contains('\0'))
        {
            throw new InvalidDataException($"entry '{raw.Replace("\0", "\\0")}' has a NUL byte in its name");
        }

        if (PackageText.HasControl(raw))
        {
            throw new InvalidDataException($"entry '{PackageText.Quote(raw)}' has a control character in its name");
        }

        if (raw.StartsWith('/'))
        {
            throw new InvalidDataException($"entry '{raw}' has an absolute path");
        }

        var parts = Components(raw);
        if (parts.Contains(".."))
        {
            throw new InvalidDataException($"entry '{raw}' has a '..' component");
        }

        return string.Join('/', parts);
    }

    /// <summary>
    /// Checks that a symbolic link at <paramref name="entry"/> (normalized) pointing at <paramref name="target"/>
    /// resolves inside the package. Absolute targets are taken relative to the package root, as they are once
    /// installed; relative ones that climb above the root are refused.
    /// </summary>
    public static void CheckSymbolicLink(string entry, string target) => Resolve(entry, target);

    /// <summary>
    /// The package path a symbolic link at <paramref name="entry"/> (normalized) to <paramref name="target"/> leads to,
    /// resolved as <see cref="CheckSymbolicLink"/> checks it: <c>usr/bin/qemu-arm64</c> -&gt; <c>qemu-aarch64</c> is
    /// <c>usr/bin/qemu-aarch64</c>.
    /// </summary>
    public static string Resolve(string entry, string target)
    {
        if (target.Length == 0 || target.Contains('\0'))
        {
            throw new InvalidDataException($"link '{entry}' has an empty or invalid target");
        }

        if (PackageText.HasControl(target))
        {
            throw new InvalidDataException($"link '{entry}' -> '{PackageText.Quote(target)}' has a control character in its target");
        }

        var resolved = new List<string>();
        if (!target.StartsWith('/'))
        {
            resolved.AddRange(Components(entry).SkipLast(1));
        }

        foreach (var part in Components(target))
        {
            if (part != "..")
            {
                resolved.Add(part);
            }
            else if (resolved.Count > 0)
            {
                resolved.RemoveAt(resolved.Count - 1);
            }
            else
            {
                throw new InvalidDataException($"link '{entry}' -> '{target}' leads outside the package");
            }
        }

        return string.Join('/', resolved);
    }

    /// <summary>The file name part of a normalized path.</summary>
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The folder part of a normalized path, empty at the root.</summary>
    public static string Folder(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";

    private static List<string> Components(string path) =>
        path.Split('/').Where(p => p.Length > 0 && p != ".").ToList();
}
