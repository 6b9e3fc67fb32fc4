using System.Globalization;
using QemuUserStatic.Cli;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tarballs;

/// <summary>What qus-tarballs wrote: the output folder and its manifest.</summary>
/// <param name="Output">The output folder (absolute).</param>
/// <param name="Manifest">The <c>manifest.json</c> written there.</param>
internal sealed record TarballsResult(string Output, ReleaseManifest Manifest) : IStepResult
{
    /// <summary>The path of <c>manifest.json</c>.</summary>
    public string ManifestFile => Path.Combine(Output, ReleaseManifest.FileName);

    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs =>
    [
        ("output", Output),
        ("manifest", ManifestFile),
        ("qemu-version", Manifest.QemuVersion),
        ("package-version", Manifest.PackageVersion),
        ("tag-version", Manifest.TagVersion),
        ("from-arch", Manifest.FromArch),
        ("targets", string.Join(',', Manifest.Targets.Select(t => t.Name))),
    ];

    string? IStepResult.Summary =>
        $"### qus-tarballs: QEMU {Manifest.QemuVersion} ({Manifest.PackageVersion}) for {Manifest.FromArch}\n\n" +
        GitHubActions.MarkdownTable(
            ["target", "binary", "size", "tarball", "size", "sha256 (tarball)", "binfmt"],
            Manifest.Targets.Select(t => (IReadOnlyList<string>)
            [
                t.Name, t.Binary.Name, Size(t.Binary.Size), t.Tarballs[0].Name, Size(t.Tarballs[0].Size),
                t.Tarballs[0].Sha256[..16], t.Binfmt?.Name ?? "",
            ]));

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => TarballsResultJson.Default.TarballsResult;

    int IStepResult.ExitCode => ExitCodes.Success;

    private static string Size(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);
}
