using QemuUserStatic.Manifests;
using QemuUserStatic.Packages.Deb;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// qus-tarballs on Debian's real static <c>qemu-user</c> packages (sid's QEMU 11 for two hosts, trixie's QEMU 10),
/// downloaded from Debian's mirror into the fixture cache, checked against dpkg-deb's extraction: every emulator the
/// package has as a regular file is published under the original's name, byte for byte; no alias link becomes a
/// second emulator; each is checked static and built for the host, and runs.
/// </summary>
[TestFixture("sid", "amd64", "x86_64")]
[TestFixture("sid", "arm64", "aarch64")]
[TestFixture("trixie", "amd64", "x86_64")]
public class DebianQemuUserTests(string suite, string debianArch, string host)
{
    private TempDir temp = null!;
    private string deb = null!;
    private string reference = null!;
    private string output = null!;
    private ProcessResult run = null!;

    [OneTimeSetUp]
    public void RunOnQemuUser()
    {
        temp = new TempDir($"qemu-user-{suite}-{debianArch}");
        deb = PackageFixtures.DebianPackage("qemu-user", debianArch, suite);
        reference = PackageFixtures.DebianPackageRoot("qemu-user", debianArch, suite);
        output = temp["out"];
        run = TarballsTool.Run([deb], output);
    }

    [OneTimeTearDown]
    public void TearDown() => temp.Dispose();

    /// <summary>The reference's real emulators: regular files usr/bin/qemu-ARCH (aliases are links).</summary>
    private IReadOnlyList<string> RealEmulators() =>
        Directory.GetFiles(Path.Combine(reference, "usr", "bin"), "qemu-*")
            .Where(f => new FileInfo(f).LinkTarget is null)
            .Select(f => Path.GetFileName(f)["qemu-".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();

    [Test]
    public void Publishes_every_real_emulator_byte_identical_under_the_original_names_and_no_alias()
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var emulators = RealEmulators();
        Assert.That(emulators, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(emulators, Does.Not.Contain("cris").And.Not.Contain("nios2"), "QEMU dropped them");
        var expected = emulators.SelectMany(e => new[] { $"qemu-{e}-static", $"qemu-{e}-static.tar.gz", $"{host}_qemu-{e}-static.tar.gz" })
            .Append("SHA256SUMS").Append("sbom.spdx.json").Append("manifest.json");
        Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName), Is.EquivalentTo(expected));
        foreach (var alias in new[] { "arm64", "amd64", "armhf", "armel", "ppc64el", "loong64", "powerpc" })
        {
            Assert.That(File.Exists(Path.Combine(reference, "usr", "bin", $"qemu-{alias}")), Is.True, $"Debian ships the alias qemu-{alias}");
            Assert.That(File.Exists(Path.Combine(output, $"qemu-{alias}-static")), Is.False, $"the alias qemu-{alias} is not published");
        }

        foreach (var emulator in emulators)
        {
            Assert.That(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(output, $"qemu-{emulator}-static")),
                Is.EqualTo(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(reference, "usr", "bin", $"qemu-{emulator}"))), emulator);
        }
    }

    [Test]
    public void Manifest_records_the_elf_check_and_debians_binfmt_entries()
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var manifest = ReleaseManifest.Load(output);
        Assert.That(manifest.FromArch, Is.EqualTo(host));
        Assert.That(manifest.Sources.Single().Name, Is.EqualTo("qemu-user"));
        var machine = host == "x86_64" ? 62 : 183;
        foreach (var target in manifest.Targets)
        {
            Assert.That(target.Elf, Is.EqualTo(new ManifestElf { Host = host, Class = 64, ByteOrder = "little", Machine = machine, Linking = "static-pie" }), target.Name);
            Assert.That(target.Binfmt?.Source, Is.EqualTo($"usr/share/qemu/binfmt.d/qemu-{target.Name}.conf"), target.Name);
        }

        Assert.That(ManifestSchema.Errors(File.ReadAllText(Path.Combine(output, ReleaseManifest.FileName))), Is.Empty);
    }

    [Test]
    public void Tarballs_hold_one_executable_emulator()
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var listing = ToolProcess.ShellOrThrow($"tar --numeric-owner -tvzf '{output}/qemu-riscv64-static.tar.gz'").Trim();
        Assert.That(listing, Does.StartWith("-rwxr-xr-x 0/0").And.EndWith(" qemu-riscv64-static"));
        Assert.That(listing.Split('\n'), Has.Length.EqualTo(1));
        ToolProcess.ShellOrThrow($"cd '{output}' && sha256sum -c --quiet SHA256SUMS");
    }

    [Test]
    public void Emulators_run_and_print_the_packages_qemu_version()
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var package = DebPackage.Open(deb);
        var upstream = package.Identity.Version.Split('+')[0];
        // The aarch64 host's emulators run here under the machine's own qemu-aarch64-static.
        var command = host == "x86_64" ? $"'{output}/qemu-riscv64-static' --version" : $"qemu-aarch64-static '{output}/qemu-riscv64-static' --version";
        Assert.That(ToolProcess.ShellOrThrow(command), Does.StartWith($"qemu-riscv64 version {upstream}"));
    }
}
