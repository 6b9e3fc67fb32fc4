namespace QemuUserStatic.Packages;

/// <summary>
/// What a package carries to be checked by, known once it is opened: the digests over the package as a whole, and
/// where its files' digests come from. A tool says this in its log and manifest, so that an unverified input never
/// looks like a verified one.
/// </summary>
/// <param name="Whole">
/// The checks over the whole package, in words (<c>header SHA256 (signature header)</c>): made when it is opened, or
/// by the end of its payload. Empty for a .deb (the container has no digest of its own) and a folder.
/// </param>
/// <param name="FileDigests">Where each file's digest comes from, with the algorithm (<c>FILEDIGESTS SHA256</c>, <c>md5sums MD5</c>); null when the package carries none.</param>
/// <param name="Missing">What a package of its kind should carry and this one does not (<c>no digest covers its header ...</c>); null when nothing is.</param>
public sealed record PackageChecks(IReadOnlyList<string> Whole, string? FileDigests, string? Missing)
{
    /// <summary>Nothing to check: a local folder, taken as given.</summary>
    public static PackageChecks None { get; } = new([], null, null);
}
