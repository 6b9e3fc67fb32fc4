using System.Globalization;
using System.Text;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Releases;

/// <summary>The release body: what QEMU this is, the packages it came from, and every asset with its SHA-256.</summary>
internal static class ReleaseNotes
{
    /// <summary>Markdown for a release of <paramref name="assets"/>: its emulators, source packages and files.</summary>
    public static string Render(ReleaseAssets assets)
    {
        var manifest = assets.Manifest;
        var hosts = assets.Hosts.Select(h => h.Manifest.FromArch).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Static user-mode emulators of QEMU {manifest.QemuVersion} (package {manifest.PackageVersion}) for {string.Join(" and ", hosts)} hosts, {manifest.Targets.Count} targets.\n\n");
        if (hosts.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"`HOST_qemu-ARCH-static.tar.gz` holds the emulator of ARCH that runs on HOST machines; the plain `qemu-ARCH-static` files are for {hosts[0]} hosts.\n\n");
        }

        text.Append("Verify a download with `sha256sum -c SHA256SUMS --ignore-missing`.\n\n");
        text.Append("### Source packages\n\n");
        text.Append(GitHubActions.MarkdownTable(
            ["package", "version", "arch", "sha256"],
            assets.Hosts.SelectMany(h => h.Manifest.Sources).DistinctBy(s => s.Sha256)
                .Select(s => (IReadOnlyList<string>)[s.File, VersionOf(s), s.Arch, $"`{s.Sha256}`"])));
        text.Append("\n### Assets\n\n");
        text.Append(GitHubActions.MarkdownTable(
            ["file", "size", "sha256"],
            assets.Files.OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => (IReadOnlyList<string>)[f.Name, ByteSize.Format(f.Size), $"`{f.Sha256}`"])));
        return text.ToString();
    }

    private static string VersionOf(ManifestPackage package) =>
        (package.Epoch is { Length: > 0 } epoch ? epoch + ":" : "") + package.Version + "-" + package.Release;
}
