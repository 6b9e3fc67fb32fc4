using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Archives;
using QemuUserStatic.Manifests;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>
/// One <c>qus-tarballs</c> output folder: the emulators built for one host architecture, their manifest.json and
/// (where written) their SBOM.
/// </summary>
/// <param name="Folder">The folder.</param>
/// <param name="Manifest">Its manifest.json.</param>
/// <param name="Host">The host architecture the emulators run on (the manifest's fromArch).</param>
/// <param name="Platform">The image platform of that host (linux/amd64, linux/arm64/v8).</param>
/// <param name="Sbom">Its sbom.spdx.json, carried by every image with its emulators; null where the folder has none.</param>
internal sealed record HostEmulators(string Folder, ReleaseManifest Manifest, TargetArch Host, OciPlatform Platform, HostSbom? Sbom = null)
{
    /// <summary>
    /// The emulators that get an image: every target but the host itself, sorted by name (as the original's
    /// update.sh skips <c>from_arch == to_arch</c>).
    /// </summary>
    public IReadOnlyList<ManifestTarget> Targets =>
        Manifest.Targets.Where(t => t.Name != Host.Name).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>Reads a folder; a missing or bad manifest or SBOM, or a host without an image platform, is a user error.</summary>
    public static HostEmulators Load(string folder)
    {
        var manifest = ReleaseManifest.Load(folder);
        var host = ArchitectureTable.Find(manifest.FromArch) ?? throw new UserException(
            $"{Path.Combine(folder, ReleaseManifest.FileName)}: fromArch '{manifest.FromArch}' is not a known architecture");
        var platform = host.Platform ?? throw new UserException(
            $"{Path.Combine(folder, ReleaseManifest.FileName)}: fromArch '{host.Name}' has no container image platform");
        foreach (var target in manifest.Targets)
        {
            if (target.Binary.Name.Contains('/') || target.Binary.Name is "." or "..")
            {
                throw new UserException($"{Path.Combine(folder, ReleaseManifest.FileName)}: binary name '{target.Binary.Name}' is not a file name");
            }
        }

        return new HostEmulators(folder, manifest, host, platform, HostSbom.Load(folder));
    }

    /// <summary>
    /// The emulator of <paramref name="target"/> as a layer file, its size checked against the manifest now and its
    /// SHA-256 while the layer is written.
    /// </summary>
    public LayerFile EmulatorFile(ManifestTarget target)
    {
        var path = Path.Combine(Folder, target.Binary.Name);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UserException($"{path}: no such file (listed in {ReleaseManifest.FileName})");
        }

        if (info.Length != target.Binary.Size)
        {
            throw new UserException($"{path}: does not match its size in {ReleaseManifest.FileName}");
        }

        return LayerFile.FromDisk("usr/bin/" + target.Binary.Name, path, ReproducibleTar.Executable, target.Binary.Sha256);
    }
}
