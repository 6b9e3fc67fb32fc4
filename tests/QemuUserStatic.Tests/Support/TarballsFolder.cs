using System.Formats.Tar;
using QemuUserStatic.Archives;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-tarballs output folders as input for the later steps. TEMPORARY: built from the machine's real emulators
/// (and Debian's arm64 package for an aarch64 host) with the shared manifest model until qus-tarballs is merged;
/// then it runs the real tool. This is the one place to switch.
/// </summary>
public static class TarballsFolder
{
    /// <summary>The host architecture the fixture claims (this machine's).</summary>
    public const string FromArch = "x86_64";

    /// <summary>The manifest's tag version; the default release tag is "v" + this.</summary>
    public const string TagVersion = "7.2.0-1";

    /// <summary>The tag version the cached per-host folders (<see cref="For"/>) record.</summary>
    public const string HostFolderTagVersion = "7.2-7";

    /// <summary>Writes the folder for <paramref name="binaries"/> (target name → emulator bytes) into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyDictionary<string, byte[]> binaries)
    {
        Directory.CreateDirectory(folder);
        var targets = new List<ManifestTarget>();
        var sums = new List<(string, string)>();
        foreach (var (name, bytes) in binaries.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var binaryName = $"qemu-{name}-static";
            File.WriteAllBytes(Path.Combine(folder, binaryName), bytes);
            var tarball = Tarball(binaryName, bytes);
            var tarballNames = new[] { $"{binaryName}.tar.gz", $"{FromArch}_{binaryName}.tar.gz" };
            foreach (var tarballName in tarballNames)
            {
                File.WriteAllBytes(Path.Combine(folder, tarballName), tarball);
            }

            var binary = new ManifestFile { Name = binaryName, Size = bytes.Length, Sha256 = Sha256Hex.Of(bytes) };
            var tarballs = tarballNames.Select(n => new ManifestFile { Name = n, Size = tarball.Length, Sha256 = Sha256Hex.Of(tarball) }).ToList();
            targets.Add(new ManifestTarget { Name = name, Binary = binary, Tarballs = tarballs });
            sums.AddRange(tarballs.Prepend(binary).Select(f => (f.Name, f.Sha256)));
        }

        File.WriteAllText(Path.Combine(folder, Sha256Sums.FileName), Sha256Sums.Format(sums));
        var manifest = new ReleaseManifest
        {
            QemuVersion = "7.2.0",
            PackageVersion = "7.2.0-1.fc99",
            TagVersion = TagVersion,
            FromArch = FromArch,
            SourceDateEpoch = PackageFixtures.BuildTime,
            Sources =
            [
                new SourcePackage
                {
                    File = "qemu-user-static-7.2.0-1.fc99.x86_64.rpm", Format = "rpm", Name = "qemu-user-static", Version = "7.2.0",
                    Release = "1.fc99", Arch = FromArch, Size = 1234, Sha256 = Sha256Hex.Of("qemu-user-static"u8),
                },
            ],
            Targets = targets,
        };
        File.WriteAllBytes(Path.Combine(folder, ReleaseManifest.FileName), manifest.ToJsonBytes());
    }

    /// <summary>The machine's real emulators for <paramref name="names"/> (e.g. aarch64, riscv64).</summary>
    public static Dictionary<string, byte[]> RealEmulators(params string[] names) =>
        names.ToDictionary(n => n, n => File.ReadAllBytes($"/usr/bin/qemu-{n}-static"), StringComparer.Ordinal);

    private static byte[] Tarball(string name, byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = ReproducibleTar.Gzip(output, level: 1, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(ReproducibleTar.File(name, ReproducibleTar.Executable, ReproducibleTar.Mtime(PackageFixtures.BuildTime), new MemoryStream(bytes)));
        }

        return output.ToArray();
    }

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
            TagVersion = HostFolderTagVersion,
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
