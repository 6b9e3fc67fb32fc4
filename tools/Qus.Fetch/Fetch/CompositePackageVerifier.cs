namespace QemuUserStatic.Fetch;

/// <summary>Runs several package verifiers in order; the checks they report are concatenated.</summary>
internal sealed class CompositePackageVerifier(IReadOnlyList<IPackageVerifier> verifiers) : IPackageVerifier
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> VerifyAsync(RepositoryPackage package, string path, CancellationToken cancellationToken)
    {
        var checks = new List<string>();
        foreach (var verifier in verifiers)
        {
            checks.AddRange(await verifier.VerifyAsync(package, path, cancellationToken).ConfigureAwait(false));
        }

        return checks;
    }
}
