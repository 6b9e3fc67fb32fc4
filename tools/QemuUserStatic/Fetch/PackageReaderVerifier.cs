namespace QemuUserStatic.Fetch;

/// <summary>
/// The package's own digests, checked with the project's package reader (tools/QemuUserStatic/Packages): for an RPM
/// the header and payload digests, the per-file digests, SIGMD5 against Koji's payloadhash, and name/version/arch
/// against what the source lists; for a .deb its members and md5sums, and its control fields.
/// </summary>
/// <remarks>
/// THE place to plug <c>RpmPackage</c>/<c>DebPackage</c> verification in: fill <see cref="VerifyRpm"/> and
/// <see cref="VerifyDeb"/>. Until then they return no checks, and fetched.json shows that only the source's checksums
/// (and a signature, with --keyring) were verified.
/// </remarks>
public sealed class PackageReaderVerifier : IPackageVerifier
{
    /// <summary>The verifier qus-fetch uses by default.</summary>
    public static PackageReaderVerifier Instance { get; } = new();

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> VerifyAsync(SourcePackage package, string path, CancellationToken cancellationToken) =>
        Task.FromResult(package.Format == PackageFormat.Rpm ? VerifyRpm(package, path) : VerifyDeb(package, path));

    /// <summary>Checks an RPM's own digests; returns the check names (e.g. "rpm-digests").</summary>
    private static IReadOnlyList<string> VerifyRpm(SourcePackage package, string path)
    {
        _ = (package, path); // Plug: RpmPackage.Open(path) → verify digests, SIGMD5 == package.PayloadMd5, NEVRA.
        return [];
    }

    /// <summary>Checks a .deb's own digests; returns the check names (e.g. "deb-digests").</summary>
    private static IReadOnlyList<string> VerifyDeb(SourcePackage package, string path)
    {
        _ = (package, path); // Plug: DebPackage.Open(path) → verify members and md5sums, Package/Version/Architecture.
        return [];
    }
}
