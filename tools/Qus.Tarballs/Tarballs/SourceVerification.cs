using System.Collections.Concurrent;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// What was verified of one input, said the same way in the log and in manifest.json, so that an unverified input
/// never looks like a verified one: the checks its package carries, and what a run took that no digest vouches for
/// (refused, unless --allow-unverified).
/// </summary>
internal sealed class SourceVerification(IPackageFile source, bool allowUnverified)
{
    /// <summary>Trust of a package whose header and every file taken were checked against digests it carries.</summary>
    public const string Verified = "verified";

    /// <summary>Trust of a folder: the documented local use, taken as given.</summary>
    public const string Local = "local";

    /// <summary>Trust of a package something of which was taken unchecked, with --allow-unverified.</summary>
    public const string Unverified = "unverified";

    private readonly ConcurrentBag<string> unverified = [];
    private int checkedFiles;

    /// <summary>The input.</summary>
    public IPackageFile Source { get; } = source;

    /// <summary>The checks made, in words, for the manifest's <c>sources[].verified</c>.</summary>
    public IReadOnlyList<string> Made =>
        [.. Source.Checks.Whole, .. Source.Checks.FileDigests is { } files ? [$"each file taken against {files}"] : Array.Empty<string>()];

    /// <summary><see cref="Verified"/>, <see cref="Local"/> or <see cref="Unverified"/>.</summary>
    public string Trust =>
        Source.Identity.Format == PackageFormat.Folder ? Local
        : Source.Checks.Missing is not null || !unverified.IsEmpty ? Unverified
        : Verified;

    /// <summary>Files taken that no digest vouched for, with why, sorted; empty unless --allow-unverified.</summary>
    public IReadOnlyList<string> UnverifiedFiles => [.. unverified.Order(StringComparer.Ordinal)];

    /// <summary>Refuses a package that misses what its kind should carry (an RPM header no digest covers), unless allowed.</summary>
    public void CheckWhole()
    {
        if (Source.Checks.Missing is { } missing && !allowUnverified)
        {
            throw new UserException($"{Source.Identity.Path}: {missing}; give --allow-unverified to take it anyway");
        }
    }

    /// <summary>
    /// Before a file is taken: where its digest comes from (<c>FILEDIGESTS SHA256</c>), null for a folder's file; a
    /// file its package does not vouch for is refused, unless allowed (then recorded).
    /// </summary>
    public string? Take(PackageEntry entry)
    {
        if (Source.Identity.Format == PackageFormat.Folder)
        {
            return null;
        }

        if (entry.Content.Expected is { } expected)
        {
            Interlocked.Increment(ref checkedFiles);
            return $"{expected.Source} {expected.Algorithm.Name}";
        }

        var reason = Source.Checks.FileDigests is { } files ? $"{files.Split(' ')[0]} does not list it" : "the package carries no file digests";
        if (!allowUnverified)
        {
            throw new UserException($"{Source.Identity.Path}: {entry.Path}: no digest in the package vouches for it ({reason}); give --allow-unverified to take it anyway");
        }

        unverified.Add($"{entry.Path} ({reason})");
        return null;
    }

    /// <summary>The log line when the input is opened: what will be checked.</summary>
    public string Plan()
    {
        var name = Source.Identity.FileName;
        if (Source.Identity.Format == PackageFormat.Folder)
        {
            return $"{name}: a local folder, taken as given: nothing in it to verify (each file is only checked unchanged since it was listed)";
        }

        var checks = Made.Count > 0 ? string.Join(", ", Made) : "nothing";
        var container = Source.Identity.Format == PackageFormat.Deb ? "; a .deb carries no digest of itself (qus-fetch checks it against the signed Packages index)" : "";
        return $"{name}: checks {checks}{container}; no signature check here (qus-fetch checks signatures)" +
            (Source.Checks.Missing is { } missing ? $"; UNVERIFIED: {missing} (--allow-unverified)" : "");
    }

    /// <summary>The log line at the end: what was taken and how it was checked.</summary>
    public string Outcome()
    {
        var name = Source.Identity.FileName;
        var files = UnverifiedFiles;
        return Trust switch
        {
            Local => $"{name}: local, taken as given",
            Verified => $"{name}: verified: {checkedFiles} files taken, each checked against {Source.Checks.FileDigests ?? "its digest"}",
            _ => $"{name}: UNVERIFIED (--allow-unverified): " +
                string.Join(", ", [.. Source.Checks.Missing is { } missing ? [missing] : Array.Empty<string>(), .. files.Select(f => $"{f} taken unchecked")]),
        };
    }
}
