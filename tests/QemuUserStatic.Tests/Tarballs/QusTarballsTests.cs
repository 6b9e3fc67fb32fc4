using System.Globalization;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>qus-tarballs run as a real process on Fedora-layout split RPMs (zstd, binfmt.d), checked with GNU tar, sha256sum and rpm's tools.</summary>
public class QusTarballsTests
{
    private static readonly string[] Emulators = ["aarch64", "arm", "riscv64"];
    private TempDir temp = null!;
    private IReadOnlyList<string> rpms = null!;
    private ProcessResult run = null!;
    private string output = null!;
    private string reference = null!;

    [OneTimeSetUp]
    public void RunOnSplitRpms()
    {
        temp = new TempDir("tarballs");
        rpms = PackageFixtures.FedoraSplit(Emulators);
        reference = temp["reference"];
        foreach (var rpm in rpms)
        {
            ReferenceExtraction.Rpm(rpm, reference);
        }

        output = temp["out"];
        run = TarballsTool.Run(rpms, output);
    }

    [OneTimeTearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public void Writes_every_file_and_nothing_else()
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var expected = Emulators.SelectMany(e => new[] { $"qemu-{e}-static", $"qemu-{e}-static.tar.gz", $"x86_64_qemu-{e}-static.tar.gz" })
            .Append("SHA256SUMS").Append("sbom.spdx.json").Append("manifest.json");
        Assert.That(Directory.GetFileSystemEntries(output).Select(Path.GetFileName), Is.EquivalentTo(expected));
        Assert.That(run.StandardError, Does.Contain("wrote 3 emulators of QEMU 7.2.0 (7.2.0-1.fc99, tag 7.2.0-1) for x86_64"));
        Assert.That(run.StandardError, Does.Not.Contain("\r"), "no progress line when stderr is not a terminal");
    }

    [Test]
    public void Binaries_are_the_reference_extraction_bytes_with_mode_0755_and_run()
    {
        foreach (var emulator in Emulators)
        {
            var name = $"qemu-{emulator}-static";
            var ours = Path.Combine(output, name);
            Assert.That(QemuUserStatic.Common.Sha256Hex.OfFile(ours), Is.EqualTo(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(reference, "usr", "bin", name))), name);
            Assert.That(ToolProcess.ShellOrThrow($"stat -c %a '{ours}'").Trim(), Is.EqualTo("755"), name);
        }

        var busybox = Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox");
        var result = ToolProcess.Run(Path.Combine(output, "qemu-aarch64-static"), [busybox, "uname", "-m"]);
        Assert.That(result.StandardOutput.Trim(), Is.EqualTo("aarch64"), result.ToString());
    }

    [Test]
    public void Tarballs_hold_one_entry_0755_owned_by_root_with_the_build_time_and_gzip_without_timestamp()
    {
        foreach (var emulator in Emulators)
        {
            var name = $"qemu-{emulator}-static";
            var tarball = Path.Combine(output, name + ".tar.gz");
            var size = new FileInfo(Path.Combine(output, name)).Length;
            var listing = ToolProcess.ShellOrThrow($"tar --full-time -tvzf '{tarball}'", Utc).TrimEnd('\n');
            Assert.That(listing.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Is.EqualTo(new[] { "-rwxr-xr-x", "root/root", size.ToString(CultureInfo.InvariantCulture), "2023-11-14", "22:13:20", name }), listing);
            Assert.That(ToolProcess.ShellOrThrow($"tar --numeric-owner -tvzf '{tarball}'"), Does.Contain(" 0/0 "));
            Assert.That(ToolProcess.ShellOrThrow($"tar -xzOf '{tarball}' | sha256sum")[..64], Is.EqualTo(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(output, name))));
            var bytes = File.ReadAllBytes(tarball);
            Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0x1f, 0x8b, 8, 0 }), "gzip, no flags");
            Assert.That(bytes[4..8], Is.EqualTo(new byte[4]), "gzip header mtime 0");
            Assert.That(File.ReadAllBytes(Path.Combine(output, "x86_64_" + name + ".tar.gz")), Is.EqualTo(bytes), "both names, same bytes");
        }
    }

    [Test]
    public void SHA256SUMS_is_accepted_by_sha256sum()
    {
        var check = ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: output);
        Assert.That(check.ExitCode, Is.Zero, check.ToString());
        // 3 emulators x (binary, 2 tarballs) and sbom.spdx.json.
        Assert.That(check.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(10).And.All.EndsWith(": OK"));
    }

    [Test]
    public void Manifest_follows_the_schema_and_describes_packages_files_and_binfmt_entries()
    {
        var json = File.ReadAllText(Path.Combine(output, "manifest.json"));
        Assert.That(ManifestSchema.Errors(json), Is.Empty);
        var manifest = ReleaseManifest.Load(output);
        Assert.That((manifest.QemuVersion, manifest.PackageVersion, manifest.TagVersion, manifest.FromArch, manifest.SourceDateEpoch),
            Is.EqualTo(("7.2.0", "7.2.0-1.fc99", "7.2.0-1", "x86_64", PackageFixtures.BuildTime)));
        Assert.That(manifest.Sources.Select(s => (s.File, s.Format, s.Sha256)),
            Is.EqualTo(rpms.Select(r => (Path.GetFileName(r), "rpm", ToolProcess.ShellOrThrow($"sha256sum '{r}'")[..64]))));
        Assert.That(manifest.Targets.Select(t => t.Name), Is.EqualTo(Emulators));
        foreach (var target in manifest.Targets)
        {
            foreach (var file in target.Tarballs.Prepend(target.Binary))
            {
                var path = Path.Combine(output, file.Name);
                Assert.That((file.Size, file.Sha256), Is.EqualTo((new FileInfo(path).Length, QemuUserStatic.Common.Sha256Hex.OfFile(path))), file.Name);
            }

            var conf = File.ReadAllText(Path.Combine(reference, "usr", "lib", "binfmt.d", $"qemu-{target.Name}-static.conf"));
            Assert.That(target.Binfmt, Is.EqualTo(new ManifestBinfmt
            {
                Name = $"qemu-{target.Name}", Source = $"usr/lib/binfmt.d/qemu-{target.Name}-static.conf", Line = conf,
            }));
            Assert.That(target.Package, Does.StartWith("qemu-user-static-"));
        }
    }

    [Test]
    public void A_second_run_writes_the_same_bytes()
    {
        var again = TarballsTool.Run(rpms, temp["again"]);
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(TarballsTool.Digests(temp["again"]), Is.EqualTo(TarballsTool.Digests(output)));
    }

    [Test]
    public void SOURCE_DATE_EPOCH_sets_every_mtime()
    {
        var folder = temp["epoch"];
        var result = TarballsTool.Run(rpms, folder, ["--targets", "riscv64"], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1234567890" });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(ToolProcess.ShellOrThrow($"tar --full-time -tvzf '{folder}/qemu-riscv64-static.tar.gz'", Utc), Does.Contain(" 2009-02-13 23:31:30 "));
        Assert.That(ReleaseManifest.Load(folder).SourceDateEpoch, Is.EqualTo(1234567890));
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(folder, "qemu-riscv64-static")), Is.EqualTo(DateTime.UnixEpoch.AddSeconds(1234567890)));
    }

    [Test]
    public void From_arch_and_targets_take_the_architecture_table_names_and_aliases()
    {
        var folder = temp["aliases"];
        var arm64 = PackageFixtures.FedoraSplit(["arm", "riscv64"], arch: "aarch64", emulatorFolder: PackageFixtures.DebianEmulators("arm64"));
        var result = TarballsTool.Run(arm64, folder, ["--from-arch", "arm64", "--targets", "armhf"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            "qemu-arm-static", "qemu-arm-static.tar.gz", "aarch64_qemu-arm-static.tar.gz", "SHA256SUMS", "sbom.spdx.json", "manifest.json",
        }));
        Assert.That(ReleaseManifest.Load(folder).FromArch, Is.EqualTo("aarch64"));
    }

    [Test]
    public void GitHub_Actions_gets_log_groups_step_outputs_and_a_summary_table()
    {
        var folder = temp["actions"];
        var outputs = temp["github-output"];
        var summary = temp["github-summary"];
        var result = TarballsTool.Run(rpms, folder, ["--targets", "riscv64"], new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = outputs, ["GITHUB_STEP_SUMMARY"] = summary, ["SOURCE_DATE_EPOCH"] = null,
        });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain("::group::Reading packages").And.Contain("::endgroup::"));
        Assert.That(File.ReadAllLines(outputs), Is.SupersetOf(new[]
        {
            $"output={folder}", "tag-version=7.2.0-1", "qemu-version=7.2.0", "package-version=7.2.0-1.fc99", "from-arch=x86_64", "targets=riscv64",
        }));
        Assert.That(File.ReadAllText(summary), Does.Contain("| riscv64 | qemu-riscv64-static |"));
    }

    [Test]
    public void A_terminal_gets_a_progress_line()
    {
        var folder = temp["terminal"];
        var command = $"dotnet exec '{Repo.ToolDll("Qus.Tarballs")}' --input '{rpms[2]}' --output '{folder}'";
        var result = ToolProcess.Run("script", ["-qec", command, "/dev/null"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardOutput, Does.Contain("\r").And.Contain("compressed"));
    }

    [Test]
    public void Old_single_xz_RPM_gives_the_same_layout_without_binfmt_entries()
    {
        var folder = temp["single"];
        var result = TarballsTool.Run([PackageFixtures.FedoraSingle(["aarch64", "s390x"])], folder);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var manifest = ReleaseManifest.Load(folder);
        Assert.That(manifest.Targets.Select(t => (t.Name, t.Binfmt)), Is.EqualTo(new[] { ("aarch64", (ManifestBinfmt?)null), ("s390x", null) }));
        Assert.That(manifest.TagVersion, Is.EqualTo("5.2.0-1"));
        Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: folder).ExitCode, Is.Zero);
    }

    private static Dictionary<string, string?> Utc => new() { ["TZ"] = "UTC" };
}
