using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Releases;

/// <summary>
/// The files of one release, made from the qus-tarballs folders of one or more host architectures of the same QEMU
/// package. The main host gives every file of its folder, as the original's x86_64 release (the plain
/// <c>qemu-ARCH-static</c> and <c>qemu-ARCH-static.tar.gz</c> names and <c>manifest.json</c>); every other host adds
/// the files whose names carry it — <c>HOST_qemu-ARCH-static.tar.gz</c>, <c>HOST_manifest.json</c> and <c>HOST_sbom.spdx.json</c> — so that
/// an arm64 machine downloads <c>aarch64_qemu-x86_64-static.tar.gz</c> from the same release. With several hosts the
/// release's <c>SHA256SUMS</c> lists every file (written to a scratch folder that lives as long as this object).
/// </summary>
internal sealed class ReleaseAssets : IDisposable
{
    private readonly string? scratch;

    private ReleaseAssets(IReadOnlyList<AssetFolder> hosts, IReadOnlyList<AssetFile> files, string? scratch)
    {
        Hosts = hosts;
        Files = files;
        this.scratch = scratch;
    }

    /// <summary>The main host's manifest: the release's version and tag come from it.</summary>
    public ReleaseManifest Manifest => Hosts[0].Manifest;

    /// <summary>Every host's folder, the main host first.</summary>
    public IReadOnlyList<AssetFolder> Hosts { get; }

    /// <summary>Every file of the release, sorted by name.</summary>
    public IReadOnlyList<AssetFile> Files { get; }

    /// <summary>The name a further host's manifest has on the release.</summary>
    public static string ManifestName(string fromArch) => $"{fromArch}_{ReleaseManifest.FileName}";

    /// <summary>The name a further host's SBOM has on the release.</summary>
    public static string SbomName(string fromArch) => $"{fromArch}_{SpdxDocument.FileName}";

    /// <summary>
    /// Loads and cross-checks the folders. The main host is <paramref name="mainHost"/> when given (it must be one of
    /// them), else the first of <paramref name="hostOrder"/> (qus.yml's hosts) that is there, else the first folder's.
    /// <paramref name="nativeTools"/> (see <see cref="NativeTool"/>) join the release and its SHA256SUMS.
    /// </summary>
    public static async Task<ReleaseAssets> LoadAsync(
        IReadOnlyList<string> folders, string? mainHost, IReadOnlyList<string> hostOrder, IReadOnlyList<string> nativeTools,
        CancellationToken cancellationToken)
    {
        if (folders.Count == 0)
        {
            throw new UserException("--assets: no tarballs folder given", ExitCodes.Usage);
        }

        var loaded = new List<AssetFolder>();
        foreach (var folder in folders)
        {
            var next = await AssetFolder.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
            CheckSameRelease(loaded, next);
            loaded.Add(next);
        }

        var natives = new List<AssetFile>();
        foreach (var path in nativeTools)
        {
            var native = await NativeTool.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            if (natives.Any(n => n.Name == native.Name))
            {
                throw new UserException($"--native {path}: a second {native.Name}", ExitCodes.Usage);
            }

            natives.Add(native);
        }

        var main = MainOf(loaded, mainHost, hostOrder);
        var hosts = loaded.Where(h => h != main).Prepend(main).ToList();
        if (hosts.Count == 1 && natives.Count == 0)
        {
            return new ReleaseAssets(hosts, main.Files, scratch: null);
        }

        // The tarballs and native tools are listed in SHA256SUMS, the manifests not (as a tarballs folder's own SHA256SUMS).
        var extra = new List<AssetFile>(natives);
        var named = natives.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var host in hosts.Skip(1))
        {
            var tarballs = host.Manifest.Targets.SelectMany(t => t.Tarballs).Select(t => t.Name)
                .Where(n => n.StartsWith(host.Manifest.FromArch + "_", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
            named.UnionWith(tarballs);
            extra.AddRange(host.Files.Where(f => tarballs.Contains(f.Name)));
            var manifest = host.Files.Single(f => f.Name == ReleaseManifest.FileName);
            extra.Add(manifest with { Name = ManifestName(host.Manifest.FromArch) });
            // Its SBOM is listed in SHA256SUMS, as in the host's own folder.
            if (host.Files.SingleOrDefault(f => f.Name == SpdxDocument.FileName) is { } sbom)
            {
                var sbomName = SbomName(host.Manifest.FromArch);
                extra.Add(sbom with { Name = sbomName });
                named.Add(sbomName);
            }
        }

        var scratch = Directory.CreateTempSubdirectory("qus-release-").FullName;
        try
        {
            var sums = Path.Combine(scratch, Sha256Sums.FileName);
            var text = Sha256Sums.Format(Sha256Sums.Load(Path.Combine(main.Path, Sha256Sums.FileName)).Entries
                .Select(e => (e.Key, e.Value))
                .Concat(extra.Where(f => named.Contains(f.Name)).Select(f => (f.Name, f.Sha256))));
            var bytes = Encoding.UTF8.GetBytes(text);
            await File.WriteAllBytesAsync(sums, bytes, cancellationToken).ConfigureAwait(false);
            var files = main.Files.Where(f => f.Name != Sha256Sums.FileName).Concat(extra).ToList();
            files.Add(new AssetFile(Sha256Sums.FileName, sums, bytes.Length, Sha256Hex.Of(bytes)));
            return new ReleaseAssets(hosts, files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(), scratch);
        }
        catch
        {
            Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (scratch is not null && Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void CheckSameRelease(IReadOnlyList<AssetFolder> loaded, AssetFolder next)
    {
        if (loaded.FirstOrDefault(h => h.Manifest.FromArch == next.Manifest.FromArch) is { } same)
        {
            throw new UserException($"{next.Path}: a second folder for {next.Manifest.FromArch} hosts (the first is {same.Path})", ExitCodes.Usage);
        }

        if (loaded.FirstOrDefault() is { } first
            && (first.Manifest.PackageVersion, first.Manifest.TagVersion) != (next.Manifest.PackageVersion, next.Manifest.TagVersion))
        {
            throw new UserException(
                $"{next.Path}: package {next.Manifest.PackageVersion} ({next.Manifest.TagVersion}) is not the one of {first.Path}, " +
                $"{first.Manifest.PackageVersion} ({first.Manifest.TagVersion}): a release holds one QEMU build", ExitCodes.Usage);
        }
    }

    private static AssetFolder MainOf(IReadOnlyList<AssetFolder> loaded, string? mainHost, IReadOnlyList<string> hostOrder)
    {
        if (mainHost is not null)
        {
            var name = ArchitectureTable.Normalize(mainHost)
                ?? throw new UserException($"--main-host '{mainHost}': not an architecture name or alias", ExitCodes.Usage);
            return loaded.FirstOrDefault(h => h.Manifest.FromArch == name) ?? throw new UserException(
                $"--main-host '{mainHost}': none of the folders is for {name} hosts (they are for {string.Join(", ", loaded.Select(h => h.Manifest.FromArch))})",
                ExitCodes.Usage);
        }

        return hostOrder.Select(ArchitectureTable.Normalize)
            .Select(name => loaded.FirstOrDefault(h => h.Manifest.FromArch == name))
            .FirstOrDefault(h => h is not null) ?? loaded[0];
    }
}
