using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-tarballs output folders as input for the later steps (images, publish, test), made by running the real
/// qus-tarballs: from Fedora-layout RPMs (<see cref="For"/>, cached) or from a folder of emulators (<see cref="Write"/>).
/// </summary>
public static class TarballsFolder
{
    /// <summary>The host architecture <see cref="Write"/> folders are for (this machine's emulators).</summary>
    public const string FromArch = "x86_64";

    /// <summary>The tag version of <see cref="For"/> folders: the fixture RPMs' 7.2.0-1.fc99, dist tag dropped.</summary>
    public const string HostFolderTagVersion = "7.2.0-1";

    private static readonly Lazy<string> WrittenTagVersion = new(() =>
    {
        using var temp = new TempDir("tarballs-version");
        Write(temp["out"], RealEmulators("aarch64"));
        return ReleaseManifest.Load(temp["out"]).TagVersion;
    });

    /// <summary>The tag version of <see cref="Write"/> folders: the QEMU version the machine's emulators print.</summary>
    public static string TagVersion => WrittenTagVersion.Value;

    /// <summary>
    /// qus-tarballs' output for <paramref name="targets"/> from Fedora-layout RPMs of a <paramref name="fromArch"/> host
    /// (x86_64: the machine's emulators; aarch64: Debian's arm64 package's), cached in .fixtures/.
    /// </summary>
    public static string For(string fromArch, params string[] targets)
    {
        var folder = Path.Combine(PackageFixtures.CacheRoot, $"tarballs-{fromArch}-{string.Join('-', targets)}");
        if (File.Exists(Path.Combine(folder, ReleaseManifest.FileName)))
        {
            if (File.Exists(Path.Combine(folder, SpdxDocument.FileName)))
            {
                return folder;
            }

            // Cached before qus-tarballs wrote an SBOM: made again, so that later steps see what a run writes now.
            Directory.Delete(folder, recursive: true);
        }

        var rpms = fromArch switch
        {
            "x86_64" => PackageFixtures.FedoraSplit(targets),
            "aarch64" => PackageFixtures.FedoraSplit(targets, arch: "aarch64", emulatorFolder: PackageFixtures.DebianEmulators("arm64")),
            _ => throw new ArgumentException($"no emulators for host {fromArch}", nameof(fromArch)),
        };
        var staging = folder + ".tmp-" + Environment.ProcessId;
        Run(rpms, staging);
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

    /// <summary>
    /// qus-tarballs' output for <paramref name="binaries"/> (target name → emulator bytes, e.g. a changed copy of a real
    /// emulator) into <paramref name="folder"/>, read as a folder input; files of the same name are replaced.
    /// </summary>
    public static void Write(string folder, IReadOnlyDictionary<string, byte[]> binaries)
    {
        using var input = new TempDir("tarballs-input");
        foreach (var (name, bytes) in binaries)
        {
            File.WriteAllBytes(input[$"qemu-{name}-static"], bytes);
        }

        Run([input.Path], folder);
    }

    /// <summary>The machine's real emulators for <paramref name="names"/> (e.g. aarch64, riscv64).</summary>
    public static Dictionary<string, byte[]> RealEmulators(params string[] names) =>
        names.ToDictionary(n => n, n => File.ReadAllBytes($"/usr/bin/qemu-{n}-static"), StringComparer.Ordinal);

    private static void Run(IEnumerable<string> inputs, string output)
    {
        var result = TarballsTool.Run(inputs, output, environment: new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = PackageFixtures.BuildTime.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"qus-tarballs failed for the fixture folder {output}\n{result}");
        }
    }
}
