using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Releases;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Publish;

/// <summary>
/// One release for several host architectures: the main host's folder under the plain names, the others' files that
/// carry their host (HOST_qemu-ARCH-static.tar.gz, HOST_manifest.json, HOST_sbom.spdx.json) beside them, one SHA256SUMS for all.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class MultiHostReleaseTests
{
    private const string Token = "ghp_MultiHostReleaseToken_41c2";
    private const string Repository = "octo-org/qemu-user-static";
    private const string Tag = "v" + TarballsFolder.HostFolderTagVersion;

    /// <summary>Both hosts' folders inside one folder, as download-artifact leaves them (aarch64 sorts first).</summary>
    private static string Artifacts(TempDir temp)
    {
        ToolProcess.ShellOrThrow(
            $"mkdir -p '{temp["artifacts"]}' && cp -r '{ImageLayouts.X86Input}' '{temp["artifacts/tarballs-x86_64"]}' && " +
            $"cp -r '{ImageLayouts.Arm64Input}' '{temp["artifacts/tarballs-aarch64"]}'");
        return temp["artifacts"];
    }

    private static string[] ExpectedNames(string main, string other) =>
    [
        .. Directory.GetFiles(main).Select(Path.GetFileName).Cast<string>(),
        .. Directory.GetFiles(other).Select(Path.GetFileName).Cast<string>()
            .Where(n => n.StartsWith(ReleaseManifest.Load(other).FromArch + "_", StringComparison.Ordinal)),
        ReleaseAssets.ManifestName(ReleaseManifest.Load(other).FromArch),
        ReleaseAssets.SbomName(ReleaseManifest.Load(other).FromArch),
    ];

    [Test]
    public async Task A_folder_of_both_hosts_becomes_one_release_with_every_host_tarball_and_one_SHA256SUMS()
    {
        using var temp = new TempDir("qus-multi-release");
        var artifacts = Artifacts(temp);
        Directory.CreateDirectory(temp["tmp"]);
        await using var github = await FakeGitHub.StartAsync(Repository, Token);
        var environment = new Dictionary<string, string?> { ["GITHUB_TOKEN"] = Token, ["TMPDIR"] = temp["tmp"], ["GITHUB_REPOSITORY"] = null };
        string[] args = ["--assets", artifacts, "--repository", Repository, "--api-url", github.ApiUrl.AbsoluteUri];

        var first = ToolProcess.RunTool("Qus.Publish", args, environment, timeout: TimeSpan.FromMinutes(3));
        var uploads = github.Requests.Count(r => r.StartsWith("uploads POST ", StringComparison.Ordinal));
        var second = ToolProcess.RunTool("Qus.Publish", args, environment, timeout: TimeSpan.FromMinutes(3));

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        var x86 = temp["artifacts/tarballs-x86_64"];
        var arm = temp["artifacts/tarballs-aarch64"];
        var release = github.Release(Tag)!;
        var stored = release.Assets.ToDictionary(a => a.Name, a => a.Data);
        var expected = ExpectedNames(x86, arm);
        var sums = Sha256Sums.Parse(System.Text.Encoding.UTF8.GetString(stored[Sha256Sums.FileName]), "SHA256SUMS on the release");
        Assert.Multiple(() =>
        {
            Assert.That(stored.Keys, Is.EquivalentTo(expected), "x86_64 is the first configured host: its folder is whole, aarch64 adds its own names");
            Assert.That(stored.Keys, Does.Contain("aarch64_qemu-x86_64-static.tar.gz").And.Contain("x86_64_qemu-aarch64-static.tar.gz"));
            Assert.That(stored["qemu-aarch64-static"], Is.EqualTo(File.ReadAllBytes(Path.Combine(x86, "qemu-aarch64-static"))));
            Assert.That(stored["aarch64_qemu-riscv64-static.tar.gz"], Is.EqualTo(File.ReadAllBytes(Path.Combine(arm, "aarch64_qemu-riscv64-static.tar.gz"))));
            Assert.That(stored["aarch64_manifest.json"], Is.EqualTo(File.ReadAllBytes(Path.Combine(arm, "manifest.json"))));
            Assert.That(stored["manifest.json"], Is.EqualTo(File.ReadAllBytes(Path.Combine(x86, "manifest.json"))));
            Assert.That(stored["aarch64_sbom.spdx.json"], Is.EqualTo(File.ReadAllBytes(Path.Combine(arm, SpdxDocument.FileName))));
            Assert.That(stored[SpdxDocument.FileName], Is.EqualTo(File.ReadAllBytes(Path.Combine(x86, SpdxDocument.FileName))));
            Assert.That(sums.Entries.Keys, Is.EquivalentTo(expected.Where(n => !n.EndsWith("SUMS", StringComparison.Ordinal) && !n.EndsWith(ReleaseManifest.FileName, StringComparison.Ordinal))),
                "SHA256SUMS lists every emulator, tarball and SBOM");
            Assert.That(sums.Entries, Is.EqualTo(stored.Where(s => sums.Entries.ContainsKey(s.Key)).ToDictionary(s => s.Key, s => Sha256Hex.Of(s.Value))));
            Assert.That(release.Body, Does.Contain("for x86_64 and aarch64 hosts").And.Contain("| aarch64_qemu-x86_64-static.tar.gz |"));
            Assert.That(release.Body, Does.Contain(ReleaseManifest.Load(arm).Sources[0].Sha256).And.Contain(ReleaseManifest.Load(x86).Sources[0].Sha256));
            Assert.That(uploads, Is.EqualTo(expected.Length));
            Assert.That(github.Requests.Count(r => r.StartsWith("uploads POST ", StringComparison.Ordinal)), Is.EqualTo(uploads), "a re-run uploads nothing");
            Assert.That(Directory.GetFileSystemEntries(temp["tmp"]), Is.Empty, "the combined SHA256SUMS' scratch folder is removed");
            Assert.That(first.StandardOutput + first.StandardError + second.StandardError, Does.Not.Contain(Token));
        });
    }

    [Test]
    public async Task The_main_host_gives_the_plain_names_and_the_folder_release_checks_with_sha256sum()
    {
        using var temp = new TempDir("qus-multi-release");
        var artifacts = Artifacts(temp);
        var arm = temp["artifacts/tarballs-aarch64"];
        var publisher = new FolderReleasePublisher(temp["releases"], TestReporter.To(new StringWriter()), new StringWriter());

        var result = await publisher.PublishAsync(
            new PublishRequest { AssetsFolders = TarballsFolders.Expand([artifacts]), HostOrder = ["arm64", "amd64"] }, CancellationToken.None);

        var release = temp["releases/" + Tag];
        var names = Directory.GetFiles(release).Select(Path.GetFileName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Uploaded, Is.EqualTo(ExpectedNames(arm, temp["artifacts/tarballs-x86_64"]).Length));
            Assert.That(names, Does.Contain("qemu-x86_64-static").And.Not.Contain("qemu-aarch64-static"), "aarch64 (arm64) is the first configured host");
            Assert.That(names, Does.Contain("x86_64_manifest.json").And.Contain("x86_64_qemu-aarch64-static.tar.gz"));
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qemu-x86_64-static")), Is.EqualTo(File.ReadAllBytes(Path.Combine(arm, "qemu-x86_64-static"))));
            Assert.That(ToolProcess.Shell("sha256sum --strict -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(File.ReadAllText(Path.Combine(release, FolderReleasePublisher.NotesFileName)), Does.Contain("the plain `qemu-ARCH-static` files are for aarch64 hosts"));
        });
    }

    [TestCase("twice", "a second folder for x86_64 hosts")]
    [TestCase("version", "is not the one of")]
    [TestCase("main-host", "--main-host 'riscv64': none of the folders is for riscv64 hosts (they are for x86_64, aarch64)")]
    [TestCase("not-tarballs", "neither a qus-tarballs folder nor a folder of them")]
    public void Folders_that_cannot_make_one_release_are_one_line_errors_before_anything_is_written(string what, string message)
    {
        using var temp = new TempDir("qus-multi-release");
        string[] folders = what switch
        {
            "twice" => [ImageLayouts.X86Input, Copy(ImageLayouts.X86Input, temp["copy"])],
            "version" => [Written(temp["machine"]), ImageLayouts.Arm64Input],
            "not-tarballs" => [ImageLayouts.X86Input, Directory.CreateDirectory(temp["empty/sub"]).Parent!.FullName],
            _ => [ImageLayouts.X86Input, ImageLayouts.Arm64Input],
        };
        string[] args = [.. folders.SelectMany(f => new[] { "--assets", f }), "--to-folder", temp["releases"], .. what == "main-host" ? ["--main-host", "riscv64"] : Array.Empty<string>()];

        var result = ToolProcess.RunTool("Qus.Publish", args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StandardError.TrimEnd(), Does.StartWith("qus-publish: error: ").And.Contain(message).And.Not.Contain("\n"));
        Assert.That(Directory.Exists(temp["releases"]), Is.False);
    }

    private static string Copy(string from, string to)
    {
        ToolProcess.ShellOrThrow($"cp -r '{from}' '{to}'");
        return to;
    }

    private static string Written(string folder)
    {
        TarballsFolder.Write(folder, TarballsFolder.RealEmulators("aarch64"));
        Assert.That(ReleaseManifest.Load(folder).TagVersion, Is.Not.EqualTo(TarballsFolder.HostFolderTagVersion));
        return folder;
    }
}
