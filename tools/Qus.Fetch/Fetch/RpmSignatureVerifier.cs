using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Verifies an RPM's OpenPGP signature against a given public key (e.g. Fedora's RPM-GPG-KEY-fedora-NN-primary) with
/// rpm's own <c>rpmkeys --checksig</c>, in a throw-away rpm database holding only that key: the machine's rpm keyring
/// is neither read nor changed. An RPM without a signature by that key fails.
/// </summary>
internal sealed class RpmSignatureVerifier(string keyFile) : IPackageVerifier
{
    // rpmkeys -v marks each result line; any of these means the signature does not vouch for the package.
    private static readonly string[] Bad = ["NOT OK", "NOKEY", "BAD", "NOTTRUSTED", "NOTFOUND"];

    /// <summary>The public key file (ASCII-armored or binary OpenPGP).</summary>
    public string KeyFile { get; } = Path.GetFullPath(keyFile);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> VerifyAsync(RepositoryPackage package, string path, CancellationToken cancellationToken)
    {
        if (package.Format != PackageFormat.Rpm)
        {
            return [];
        }

        if (!File.Exists(KeyFile))
        {
            throw new UserException($"{KeyFile}: no such key file (--keyring)");
        }

        var database = Directory.CreateTempSubdirectory("qus-rpmdb-").FullName;
        try
        {
            var import = await RpmKeysAsync(["--dbpath", database, "--import", KeyFile], cancellationToken).ConfigureAwait(false);
            if (import.ExitCode != 0)
            {
                throw new UserException($"{KeyFile}: not an OpenPGP public key rpm can import: {FirstLine(import.StandardError)}");
            }

            var check = await RpmKeysAsync(["--dbpath", database, "--checksig", "-v", path], cancellationToken).ConfigureAwait(false);
            var lines = check.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var signatures = lines.Where(l => l.Contains("Signature", StringComparison.Ordinal)).ToList();
            var verified = signatures.Any(l => l.EndsWith(": OK", StringComparison.Ordinal));
            var bad = lines.FirstOrDefault(l => Bad.Any(b => l.EndsWith(": " + b, StringComparison.Ordinal)));
            if (check.ExitCode != 0 || !verified || bad is not null)
            {
                var problem = bad ?? (signatures.Count == 0 ? "the package is not signed" : FirstLine(check.StandardError + check.StandardOutput));
                throw new UserException($"{Path.GetFileName(path)}: signature check against {Path.GetFileName(KeyFile)} failed: {problem}");
            }

            return ["signature"];
        }
        finally
        {
            Directory.Delete(database, recursive: true);
        }
    }

    private static Task<ProcessOutput> RpmKeysAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(
            "rpmkeys", arguments, cancellationToken: cancellationToken,
            notFoundMessage: "--keyring needs rpm's rpmkeys on PATH (Debian/Ubuntu: apt-get install rpm)");

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}
