using System.Globalization;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>qus-tarballs on Debian's real .deb and on folders of emulators, run as a real process.</summary>
public class QusTarballsInputsTests : TempDirTest
{
    [Test]
    public void Debian_deb_with_bounded_memory()
    {
        var deb = PackageFixtures.DebianDeb("amd64");
        var output = Temp["out"];
        // The whole 380 MB data.tar.xz streams through; peak memory must stay far below it.
        var result = ToolProcess.Run("/usr/bin/time",
            ["-f", "maxrss-kb=%M", "dotnet", "exec", Repo.ToolDll("Qus.Tarballs"), "--input", deb, "--output", output, "--targets", "arm64,s390x"],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = null });
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var maxRss = long.Parse(result.StandardError.Split("maxrss-kb=")[1].Trim(), CultureInfo.InvariantCulture);
        Assert.That(maxRss, Is.LessThan(200 * 1024), "peak RSS in KiB");

        var manifest = ReleaseManifest.Load(output);
        // The mirror serves whatever stable update is current; the expectations follow the package's own Version.
        var version = ToolProcess.ShellOrThrow($"dpkg-deb -f '{deb}' Version").Trim();       // 1:7.2+dfsg-7+deb12u18+b3
        var upstream = version[(version.IndexOf(':', StringComparison.Ordinal) + 1)..version.IndexOf('+', StringComparison.Ordinal)];
        var revision = version[(version.LastIndexOf('-') + 1)..];
        Assert.That((manifest.QemuVersion, manifest.PackageVersion, manifest.TagVersion, manifest.FromArch),
            Is.EqualTo((upstream, version, $"{upstream}-{revision.Replace('+', '-').Replace('~', '-')}", "x86_64")));
        Assert.That(manifest.Sources.Single().Format, Is.EqualTo("deb"));
        var root = PackageFixtures.DebianPackageRoot("qemu-user-static", "amd64");
        foreach (var target in manifest.Targets)
        {
            Assert.That(target.Binary.Sha256, Is.EqualTo(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(root, "usr", "bin", target.Binary.Name))));
            Assert.That(target.Binfmt!.Line + "\n", Is.EqualTo(File.ReadAllText(Path.Combine(root, "usr", "lib", "binfmt.d", $"qemu-{target.Name}.conf"))));
        }

        Assert.That(manifest.Targets.Select(t => t.Name), Is.EqualTo(new[] { "aarch64", "s390x" }));
        Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: output).ExitCode, Is.Zero);
    }

    [Test]
    public void Json_prints_what_was_written_as_one_object_the_same_as_the_manifest()
    {
        var output = Temp["out"];

        var result = TarballsTool.Run([EmulatorFolder("aarch64")], output, ["--json"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        var manifest = ReleaseManifest.Load(output);
        var target = json["manifest"]!["targets"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(json["output"]!.GetValue<string>(), Is.EqualTo(Path.GetFullPath(output)));
            Assert.That(json["manifestFile"]!.GetValue<string>(), Is.EqualTo(Path.Combine(Path.GetFullPath(output), ReleaseManifest.FileName)));
            Assert.That(json["manifest"]!["qemuVersion"]!.GetValue<string>(), Is.EqualTo(manifest.QemuVersion));
            Assert.That(json["manifest"]!["tagVersion"]!.GetValue<string>(), Is.EqualTo(manifest.TagVersion));
            Assert.That(json["manifest"]!["fromArch"]!.GetValue<string>(), Is.EqualTo("x86_64"));
            Assert.That(target["name"]!.GetValue<string>(), Is.EqualTo("aarch64"));
            Assert.That(target["binary"]!["sha256"]!.GetValue<string>(), Is.EqualTo(QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(output, "qemu-aarch64-static"))));
            Assert.That(target["tarballs"]!.AsArray().Select(t => t!["sha256"]!.GetValue<string>()),
                Is.EqualTo(manifest.Targets.Single().Tarballs.Select(t => QemuUserStatic.Common.Sha256Hex.OfFile(Path.Combine(output, t.Name)))));
        });
    }

    [Test]
    public void Folder_of_emulators_takes_version_from_the_binaries_and_host_from_their_ELF_header()
    {
        var folder = EmulatorFolder("aarch64", "s390x");
        var output = Temp["out"];
        var result = TarballsTool.Run([folder], output);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var manifest = ReleaseManifest.Load(output);
        // "qemu-aarch64 version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)": what the emulator itself says.
        var printed = ToolProcess.Run("/usr/bin/qemu-aarch64-static", ["--version"]).StandardOutput.Split(' ')[2].Trim();
        Assert.That((manifest.QemuVersion, manifest.TagVersion, manifest.FromArch), Is.EqualTo((printed, printed, "x86_64")));
        Assert.That(manifest.Sources.Single().Format, Is.EqualTo("folder"));
        Assert.That(manifest.Targets.Select(t => (t.Name, t.Binfmt)), Is.EqualTo(new[] { ("aarch64", (ManifestBinfmt?)null), ("s390x", null) }));
        Assert.That(ManifestSchema.Errors(File.ReadAllText(Path.Combine(output, "manifest.json"))), Is.Empty);
    }

    [Test]
    public void Unpacked_package_root_gives_emulators_and_binfmt_entries()
    {
        var root = PackageFixtures.DebianPackageRoot("qemu-user-static", "amd64");
        var output = Temp["out"];
        var result = TarballsTool.Run([root], output, ["--targets", "riscv64,i386"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var manifest = ReleaseManifest.Load(output);
        Assert.That(manifest.Targets.Select(t => (t.Name, t.Binfmt?.Source)),
            Is.EqualTo(new[] { ("i386", (string?)null), ("riscv64", "usr/lib/binfmt.d/qemu-riscv64.conf") }),
            "Debian's amd64 package has no binfmt entry for its own CPU family");
    }

    // A folder of the machine's emulators for these targets, as a qus-tarballs input.
    private string EmulatorFolder(params string[] emulators)
    {
        var folder = Temp["emulators"];
        Directory.CreateDirectory(folder);
        foreach (var emulator in emulators)
        {
            File.Copy($"/usr/bin/qemu-{emulator}-static", Path.Combine(folder, $"qemu-{emulator}-static"));
        }

        return folder;
    }
}
