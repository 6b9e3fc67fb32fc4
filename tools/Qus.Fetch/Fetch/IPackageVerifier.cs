namespace QemuUserStatic.Fetch;

/// <summary>
/// A package-level check qus-fetch runs on every downloaded package after its source checksums matched
/// (the package's own digests, its signature). Failures are <see cref="Cli.UserException"/>s naming the file.
/// </summary>
internal interface IPackageVerifier
{
    /// <summary>
    /// Checks the package at <paramref name="path"/>, which the source lists as <paramref name="package"/>; returns the
    /// names of the checks that ran (they are listed in fetched.json), empty when none applied.
    /// </summary>
    Task<IReadOnlyList<string>> VerifyAsync(RepositoryPackage package, string path, CancellationToken cancellationToken);
}
