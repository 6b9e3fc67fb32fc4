using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-tarballs output folders (qemu-*-static and manifest.json) as input for the image and later steps, cached in
/// <c>.fixtures/</c>. TEMPORARY: until qus-tarballs lands this copies real emulators (the machine's for an x86_64
/// host, Debian's arm64 package for an aarch64 host) and writes manifest.json with the shared model; then it runs the
/// real tool on <see cref="PackageFixtures"/> packages instead. This is the one place to switch.
/// </summary>
public static class TarballsFolder
{
    /// <summary>The tag version every fixture folder records.</summary>
    public const string TagVersion = "7.2-7";

    /// <summary>A folder of emulators for <paramref name="fromArch"/> (x86_64 or aarch64) with <paramref name="targets"/>.</summary>
    public static string For(string fromArch, params string[] targets)
    {
        var folder = Path.Combine(PackageFixtures.CacheRoot, $"tarballs-{fromArch}-{string.Join('-', targets)}");
        if (File.Exists(Path.Combine(folder, ReleaseManifest.FileName)))
        {
            return folder;
        }

        var emulators = fromArch switch
        {
            "x86_64" => "/usr/bin",
            "aarch64" => PackageFixtures.DebianEmulators("arm64"),
            _ => throw new ArgumentException($"no emulators for host {fromArch}", nameof(fromArch)),
        };
        var staging = folder + ".tmp-" + Environment.ProcessId;
        Directory.CreateDirectory(staging);
        var written = new List<ManifestTarget>();
        foreach (var target in targets.Order(StringComparer.Ordinal))
        {
            var name = $"qemu-{target}-static";
            File.Copy(Path.Combine(emulators, name), Path.Combine(staging, name));
            written.Add(new ManifestTarget
            {
                Name = target,
                Binary = new ManifestFile { Name = name, Size = new FileInfo(Path.Combine(staging, name)).Length, Sha256 = Sha256Hex.OfFile(Path.Combine(staging, name)) },
                Tarballs = [],
            });
        }

        var manifest = new ReleaseManifest
        {
            QemuVersion = "7.2",
            PackageVersion = "1:7.2+dfsg-7",
            TagVersion = TagVersion,
            FromArch = fromArch,
            SourceDateEpoch = PackageFixtures.BuildTime,
            Sources = [],
            Targets = written,
        };
        File.WriteAllBytes(Path.Combine(staging, ReleaseManifest.FileName), manifest.ToJsonBytes());
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true);
        }

        return folder;
    }
}
