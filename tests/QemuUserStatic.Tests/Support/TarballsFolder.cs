using System.Formats.Tar;
using QemuUserStatic.Archives;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A qus-tarballs output folder built from the machine's real emulators: each binary, its two tarball names,
/// SHA256SUMS and manifest.json. The one place publish tests get their input from; once qus-tarballs is merged
/// this builds the folder with the real tool instead.
/// </summary>
public static class TarballsFolder
{
    /// <summary>The host architecture the fixture claims (this machine's).</summary>
    public const string FromArch = "x86_64";

    /// <summary>The manifest's tag version; the default release tag is "v" + this.</summary>
    public const string TagVersion = "7.2.0-1";

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
}
