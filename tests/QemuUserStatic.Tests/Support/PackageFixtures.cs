using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Guests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Real packages for the tests, built or downloaded in the set-up and cached in <c>.fixtures/</c> (git-ignored)
/// between runs; nothing binary is committed. RPMs are built by rpmbuild from the machine's real emulators,
/// the way Fedora lays them out; .debs are Debian's own, downloaded with apt.
/// </summary>
public static class PackageFixtures
{
    /// <summary>The build time every fixture RPM records (SOURCE_DATE_EPOCH), 2023-11-14T22:13:20Z.</summary>
    public const long BuildTime = 1_700_000_000;

    /// <summary>Fedora's subpackage (qemu-user-static-FAMILY) for each emulator, as Fedora splits them since QEMU 6.</summary>
    public static readonly IReadOnlyDictionary<string, string> FedoraSubpackage = new Dictionary<string, string>
    {
        ["aarch64"] = "aarch64", ["aarch64_be"] = "aarch64", ["alpha"] = "alpha", ["arm"] = "arm", ["armeb"] = "arm",
        ["cris"] = "cris", ["hexagon"] = "hexagon", ["hppa"] = "hppa", ["i386"] = "x86", ["x86_64"] = "x86",
        ["loongarch64"] = "loongarch64", ["m68k"] = "m68k", ["microblaze"] = "microblaze", ["microblazeel"] = "microblaze",
        ["mips"] = "mips", ["mipsel"] = "mips", ["mipsn32"] = "mips", ["mipsn32el"] = "mips", ["mips64"] = "mips",
        ["mips64el"] = "mips", ["nios2"] = "nios2", ["or1k"] = "or1k", ["ppc"] = "ppc", ["ppc64"] = "ppc", ["ppc64le"] = "ppc",
        ["riscv32"] = "riscv", ["riscv64"] = "riscv", ["s390x"] = "s390x", ["sh4"] = "sh4", ["sh4eb"] = "sh4",
        ["sparc"] = "sparc", ["sparc32plus"] = "sparc", ["sparc64"] = "sparc", ["xtensa"] = "xtensa", ["xtensaeb"] = "xtensa",
    };

    /// <summary>The cache folder (<c>.fixtures/</c> at the repository root).</summary>
    public static string CacheRoot => Repo.Under(".fixtures");

    /// <summary>
    /// Fedora's layout since QEMU 6: one RPM per subpackage family (qemu-user-static-aarch64, ...), each with
    /// /usr/bin/qemu-*-static and /usr/lib/binfmt.d/qemu-*-static.conf, zstd payload (Fedora's w19.zstdio).
    /// Returns the RPM paths, sorted.
    /// </summary>
    public static IReadOnlyList<string> FedoraSplit(
        IReadOnlyList<string> emulators, string version = "7.2.0", string release = "1.fc99", string arch = "x86_64",
        string payload = "w19.zstdio", string? emulatorFolder = null)
    {
        var spec = new RpmSpec("qemu", version, release, arch, payload, Split: true, emulators, emulatorFolder ?? "/usr/bin");
        return Directory.GetFiles(BuildRpms(spec), "*.rpm").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The layout before QEMU 6: one qemu-user-static RPM with every emulator, xz payload, no binfmt.d files.</summary>
    public static string FedoraSingle(
        IReadOnlyList<string> emulators, string version = "5.2.0", string release = "1.fc33", string arch = "x86_64",
        string payload = "w2.xzdio")
    {
        var spec = new RpmSpec("qemu", version, release, arch, payload, Split: false, emulators, "/usr/bin");
        return Directory.GetFiles(BuildRpms(spec), "*.rpm").Single();
    }

    /// <summary>
    /// Debian's real qemu-user-static .deb for <paramref name="debianArch"/> (amd64, arm64, ...), downloaded with apt
    /// from the machine's Debian mirror without touching the machine's apt state.
    /// </summary>
    public static string DebianDeb(string debianArch = "amd64") => DebianPackage("qemu-user-static", debianArch);

    /// <summary>
    /// Any real Debian package (e.g. busybox-static for arm64, a guest userland) for <paramref name="debianArch"/>,
    /// downloaded with apt into the cache; returns the .deb path. Without <paramref name="suite"/> it comes from the
    /// machine's own apt sources; with one (sid, trixie, bookworm) from that suite of Debian's mirror (and its
    /// -updates and -security suites where they exist), signed by Debian's archive keyring, without touching the
    /// machine's apt state.
    /// </summary>
    public static string DebianPackage(string package, string debianArch, string? suite = null) =>
        (suite is null
            ? DebianDownload.DownloadAsync(package, debianArch, Path.Combine(CacheRoot, $"deb-{package}-{debianArch}"), [null])
            : DebianDownload.FromSuiteAsync(package, debianArch, suite, CacheRoot, DebianDownload.DefaultMirror)).GetAwaiter().GetResult();

    /// <summary>A Debian package unpacked with dpkg-deb (reference tool) into a cached folder; returns the folder.</summary>
    public static string DebianPackageRoot(string package, string debianArch, string? suite = null)
    {
        var folder = Path.Combine(CacheRoot, suite is null ? $"root-{package}-{debianArch}" : $"root-{suite}-{package}-{debianArch}");
        if (!Directory.Exists(folder))
        {
            var staging = folder + ".tmp-" + Environment.ProcessId;
            Directory.CreateDirectory(staging);
            ToolProcess.ShellOrThrow($"dpkg-deb -x '{DebianPackage(package, debianArch, suite)}' '{staging}'");
            Publish(staging, folder);
        }

        return folder;
    }

    /// <summary>
    /// The emulators of Debian's .deb for <paramref name="debianArch"/>, e.g. real aarch64-host emulators;
    /// returns the folder holding qemu-*-static.
    /// </summary>
    public static string DebianEmulators(string debianArch) =>
        Path.Combine(DebianPackageRoot("qemu-user-static", debianArch), "usr", "bin");

    /// <summary>
    /// The cached folder <paramref name="name"/>: made once by <paramref name="build"/> (given a path that does not
    /// exist yet, published when it returns), then taken from the cache.
    /// </summary>
    public static string CachedFolder(string name, Action<string> build)
    {
        var folder = Path.Combine(CacheRoot, name);
        if (Directory.Exists(folder))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        build(staging);
        Publish(staging, folder);
        return folder;
    }

    private sealed record RpmSpec(
        string Name, string Version, string Release, string Arch, string Payload, bool Split,
        IReadOnlyList<string> Emulators, string EmulatorFolder);

    private static string BuildRpms(RpmSpec spec)
    {
        var key = Key(spec);
        var folder = Path.Combine(CacheRoot, "rpm-" + key);
        if (Directory.Exists(folder))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        RunRpmbuild(SpecText(spec), spec.Arch, staging);
        Publish(staging, folder);
        return folder;
    }

    /// <summary>
    /// One hand-made RPM <c>qemu-user-static-7.2.0-1.fc99.x86_64.rpm</c> in <paramref name="folder"/>, uncompressed, built
    /// by rpmbuild like the fixtures: <paramref name="install"/> is the %install script (shell, <c>$RPM_BUILD_ROOT</c>
    /// set, usr/bin made), <paramref name="files"/> the %files list. Not cached: for packages a single test makes.
    /// </summary>
    public static string HandMadeRpm(string folder, string install, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        AppendRpmDefines(text, "w0.ufdio");
        text.AppendLine("Name: qemu-user-static\nVersion: 7.2.0\nRelease: 1.fc99\nSummary: hand-made\nLicense: GPL-2.0-only\nAutoReqProv: no");
        text.AppendLine("%description\nA package a test made.\n%install\nmkdir -p %{buildroot}/usr/bin\n" + install);
        text.AppendLine("%files\n" + string.Join('\n', files));
        RunRpmbuild(text.ToString(), "x86_64", folder);
        return Path.Combine(folder, "qemu-user-static-7.2.0-1.fc99.x86_64.rpm");
    }

    private static void RunRpmbuild(string specText, string arch, string output)
    {
        Directory.CreateDirectory(output);
        var specFile = Path.Combine(output, "qemu.spec");
        File.WriteAllText(specFile, specText);
        var top = Path.Combine(output, "rpmbuild");
        ToolProcess.ShellOrThrow(
            $"rpmbuild -bb --target {arch} --define '_topdir {top}' --define '_rpmdir {output}' " +
            $"--define '_build_name_fmt %%{{NAME}}-%%{{VERSION}}-%%{{RELEASE}}.%%{{ARCH}}.rpm' '{specFile}' >/dev/null",
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = BuildTime.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Directory.Delete(top, recursive: true);
        File.Delete(specFile);
    }

    private static void AppendRpmDefines(StringBuilder text, string payload)
    {
        text.AppendLine($"%define _binary_payload {payload}");
        text.AppendLine("%define __strip /bin/true");
        text.AppendLine("%define debug_package %{nil}");
        text.AppendLine("%define _build_id_links none");
        text.AppendLine("%define __os_install_post %{nil}");
        text.AppendLine("%define __arch_install_post %{nil}");
        text.AppendLine("%define _use_internal_dependency_generator 0");
        text.AppendLine("%define __find_requires %{nil}");
        text.AppendLine("%define __find_provides %{nil}");
        text.AppendLine("%define use_source_date_epoch_as_buildtime 1");
        text.AppendLine("%define clamp_mtime_to_source_date_epoch 1");
        text.AppendLine("%define _buildhost fixtures.qus.test");
    }

    private static string SpecText(RpmSpec spec)
    {
        var text = new StringBuilder();
        AppendRpmDefines(text, spec.Payload);
        text.AppendLine($"Name: {spec.Name}");
        text.AppendLine($"Version: {spec.Version}");
        text.AppendLine($"Release: {spec.Release}");
        text.AppendLine("Summary: QEMU is a FAST! processor emulator");
        text.AppendLine("License: GPL-2.0-only");
        text.AppendLine("AutoReqProv: no");
        text.AppendLine("%description");
        text.AppendLine("Test fixture in Fedora's layout.");

        var groups = spec.Split
            ? spec.Emulators.GroupBy(e => FedoraSubpackage[e]).Select(g => ($"user-static-{g.Key}", g.ToList()))
            : [("user-static", spec.Emulators.ToList())];
        var install = new StringBuilder("%install\nmkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/binfmt.d\n");
        foreach (var (subpackage, emulators) in groups)
        {
            text.AppendLine($"%package {subpackage}");
            text.AppendLine($"Summary: QEMU user mode emulation of {string.Join(", ", emulators)} (static)");
            text.AppendLine($"%description {subpackage}");
            text.AppendLine("Static user-mode emulators.");
            var files = new StringBuilder($"%files {subpackage}\n");
            foreach (var emulator in emulators)
            {
                install.AppendLine($"cp '{spec.EmulatorFolder}/qemu-{emulator}-static' %{{buildroot}}/usr/bin/");
                files.AppendLine($"/usr/bin/qemu-{emulator}-static");
                if (spec.Split)
                {
                    // Fedora's binfmt.d files: qemu-binfmt-conf.sh --systemd output with "-static:F" appended, no newline.
                    var target = QemuUserStatic.Architectures.ArchitectureTable.All.Where(t => t.Emulator == emulator);
                    foreach (var t in target)
                    {
                        var line = t.ToBinfmtEntry($"/usr/bin/qemu-{emulator}-static", QemuUserStatic.Binfmt.BinfmtFlags.FixBinary).ToRegisterLine();
                        install.AppendLine($"printf '%s' '{line}' > %{{buildroot}}/usr/lib/binfmt.d/qemu-{t.Name}-static.conf");
                        files.AppendLine($"/usr/lib/binfmt.d/qemu-{t.Name}-static.conf");
                    }
                }
            }

            text.Append(files);
        }

        text.Append(install);
        return text.ToString();
    }

    private static string Key(RpmSpec spec)
    {
        var identity = new StringBuilder(spec with { Emulators = [] } + string.Join(",", spec.Emulators));
        foreach (var emulator in spec.Emulators)
        {
            var info = new FileInfo(Path.Combine(spec.EmulatorFolder, $"qemu-{emulator}-static"));
            identity.Append(CultureInfoInvariant($"|{emulator}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static void Publish(string staging, string folder)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another test process published the same fixture first.
            Directory.Delete(staging, recursive: true);
        }
    }
}
