using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Rpm;

namespace QemuUserStatic.Fetch;

/// <summary>
/// The package's own digests, checked with the project's package reader (tools/QemuUserStatic/Packages): for an RPM
/// the header and payload digests, every file against FILEDIGESTS, SIGMD5 against Koji's payloadhash; for a .deb its
/// members and every file against md5sums; for both, name, version and architecture against what the source lists.
/// </summary>
internal sealed class PackageReaderVerifier : IPackageVerifier
{
    /// <summary>The verifier qus-fetch uses by default.</summary>
    public static PackageReaderVerifier Instance { get; } = new();

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> VerifyAsync(RepositoryPackage package, string path, CancellationToken cancellationToken) =>
        Task.Run(() => Verify(package, path, cancellationToken), cancellationToken);

    private static IReadOnlyList<string> Verify(RepositoryPackage package, string path, CancellationToken cancellationToken)
    {
        var checks = new List<string>();
        if (package.Format == PackageFormat.Rpm && package.PayloadMd5 is { Length: > 0 } expected)
        {
            using var rpm = RpmPackage.Open(path);
            var actual = rpm.Signature.GetBinary(RpmSignatureTag.Md5) is { } md5 ? Convert.ToHexStringLower(md5) : null;
            if (actual is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new UserException($"{path}: SIGMD5 {actual} does not match Koji's payloadhash {expected}");
            }

            checks.Add(actual is null ? "payloadhash-absent" : "koji-payloadhash");
        }

        var identity = PackageFile.Verify(path, cancellationToken);
        checks.Add(package.Format == PackageFormat.Rpm ? "rpm-digests" : "deb-md5sums");
        Expect(path, "name", package.Name, identity.Name);
        Expect(path, "architecture", package.Arch, identity.Arch);
        Expect(path, "version", package.Version, identity.FullVersion);
        checks.Add("identity");
        return checks;
    }

    private static void Expect(string path, string what, string listed, string actual)
    {
        if (!string.Equals(listed, actual, StringComparison.Ordinal))
        {
            throw new UserException($"{path}: the package's {what} is {actual}, the source lists {listed}");
        }
    }
}
