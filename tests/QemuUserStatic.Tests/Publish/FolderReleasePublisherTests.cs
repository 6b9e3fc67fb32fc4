using QemuUserStatic.Cli;
using QemuUserStatic.Releases;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Publish;

/// <summary>
/// Publishing to a release folder follows the GitHub plan's rules: a new release appears whole with its notes, a re-run
/// copies nothing, different bytes are refused unless replaced, what an interrupted run left is cleared.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class FolderReleasePublisherTests
{
    private static readonly string Release = "v" + TarballsFolder.TagVersion;

    private static (FolderReleasePublisher Publisher, StringWriter Log, StringWriter Output) Publisher(string releases)
    {
        var log = new StringWriter();
        var output = new StringWriter();
        return (new FolderReleasePublisher(releases, TestReporter.To(log), output), log, output);
    }

    [Test]
    public async Task A_new_release_is_the_folder_with_notes_and_modes_and_a_rerun_copies_nothing()
    {
        using var temp = new TempDir("qus-folder-release");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64", "riscv64"));
        File.SetUnixFileMode(temp["assets/qemu-aarch64-static"], (UnixFileMode)0b111_101_101);
        var (publisher, _, output) = Publisher(temp["releases"]);

        var first = await publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]] }, CancellationToken.None);
        var second = await publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]] }, CancellationToken.None);

        var release = temp["releases/" + Release];
        Assert.Multiple(() =>
        {
            Assert.That((first.Uploaded, first.Skipped), Is.EqualTo((9, 0)));
            Assert.That((second.Uploaded, second.Skipped), Is.EqualTo((0, 9)));
            Assert.That(first.ReleaseUrl, Is.EqualTo(release));
            Assert.That(output.ToString(), Is.EqualTo(release + "\n" + release + "\n"));
            Assert.That(Directory.GetFiles(release).Select(Path.GetFileName),
                Is.EquivalentTo(Directory.GetFiles(temp["assets"]).Select(Path.GetFileName).Append(FolderReleasePublisher.NotesFileName)));
            Assert.That(Directory.GetFileSystemEntries(temp["releases"]), Is.EqualTo(new[] { release }), "no staging folder left");
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(File.GetUnixFileMode(Path.Combine(release, "qemu-aarch64-static")), Is.EqualTo((UnixFileMode)0b111_101_101));
            Assert.That(File.ReadAllText(Path.Combine(release, FolderReleasePublisher.NotesFileName)), Does.Contain("| qemu-riscv64-static |"));
        });
    }

    [Test]
    public async Task Different_bytes_are_refused_without_replace_and_leftovers_of_an_interrupted_run_are_cleared()
    {
        using var temp = new TempDir("qus-folder-release");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64"));
        TarballsFolder.Write(temp["other"], new Dictionary<string, byte[]> { ["aarch64"] = File.ReadAllBytes("/usr/bin/qemu-riscv64-static") });
        await Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]] }, CancellationToken.None);
        var release = temp["releases/" + Release];
        File.WriteAllText(Path.Combine(release, ".qemu-aarch64-static.tmp-1-abc"), "half");
        var before = Directory.GetFiles(release).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => f, File.ReadAllBytes);

        var refused = Assert.ThrowsAsync<UserException>(() =>
            Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["other"]] }, CancellationToken.None));
        var unchanged = before.All(f => File.ReadAllBytes(f.Key).SequenceEqual(f.Value));
        var dryRun = Publisher(temp["releases"]);
        await dryRun.Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["other"]], Replace = true, DryRun = true }, CancellationToken.None);
        var replaced = await Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["other"]], Replace = true }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.StartWith($"6 files differ from the assets on release {Release}: qemu-aarch64-static (").And.Contain("SHA256SUMS (sha256 ").And.EndWith("run with --replace to replace them"));
            Assert.That(unchanged, "a refused publish changes nothing");
            Assert.That(dryRun.Output.ToString(), Does.Contain("would replace qemu-aarch64-static"));
            Assert.That(replaced.Uploaded, Is.EqualTo(6));
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qemu-aarch64-static")), Is.EqualTo(File.ReadAllBytes("/usr/bin/qemu-riscv64-static")));
            Assert.That(Directory.GetFiles(release).Select(Path.GetFileName), Has.None.StartWith("."), "the interrupted run's copy is gone");
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
        });
    }

    [Test]
    public void A_publish_killed_mid_way_leaves_the_previous_release_folder_and_the_next_run_succeeds()
    {
        using var temp = new TempDir("qus-folder-release");
        string[] targets = ["aarch64", "arm", "riscv64", "xtensa"];
        var real = TarballsFolder.RealEmulators(targets);
        TarballsFolder.Write(temp["assets"], real);
        // The same targets with each other's bytes: every file differs, so the replacing run copies them all.
        TarballsFolder.Write(temp["other"], targets.Select((t, i) => (t, real[targets[(i + 1) % targets.Length]])).ToDictionary(p => p.t, p => p.Item2));
        var releases = temp["releases"];
        var release = Path.Combine(releases, Release);
        var first = ToolProcess.RunTool("Qus.Publish", ["--assets", temp["assets"], "--to-folder", releases]);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var before = FolderSnapshot.Of(release);
        string[] replace = ["--assets", temp["other"], "--to-folder", releases, "--replace"];
        List<string> Staging() => Directory.GetDirectories(releases, Release + ".partial-*").ToList();

        // Killed once it has begun writing the new folder: its staging folder holds a file.
        var killed = ToolProcess.RunToolAndKill("Qus.Publish", replace, ready: () => Staging().Any(s => Directory.EnumerateFiles(s).Any()));
        var afterKill = FolderSnapshot.Of(release);
        var left = Staging();
        var next = ToolProcess.RunTool("Qus.Publish", replace);

        Assert.Multiple(() =>
        {
            Assert.That(killed, Is.True, "killed while writing");
            Assert.That(left, Has.Count.EqualTo(1), "the kill left its staging folder");
            Assert.That(afterKill, Is.EqualTo(before), "the previous release folder is intact");
            Assert.That(next.ExitCode, Is.Zero, next.ToString());
            Assert.That(Staging(), Is.Empty, "the next run removed the staging folder");
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qemu-aarch64-static")), Is.EqualTo(real["arm"]));
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(Directory.GetFileSystemEntries(releases), Is.EqualTo(new[] { release }));
        });
    }

    [Test]
    public async Task A_folder_inside_the_release_folder_is_refused_before_anything_changes()
    {
        using var temp = new TempDir("qus-folder-release");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64"));
        TarballsFolder.Write(temp["other"], new Dictionary<string, byte[]> { ["aarch64"] = File.ReadAllBytes("/usr/bin/qemu-riscv64-static") });
        await Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]] }, CancellationToken.None);
        var release = temp["releases/" + Release];
        Directory.CreateDirectory(Path.Combine(release, "notes"));
        var before = FolderSnapshot.Of(release);

        var refused = Assert.ThrowsAsync<UserException>(() =>
            Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["other"]], Replace = true }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Is.EqualTo($"{Path.Combine(release, "notes")}: a folder inside the release folder; it holds only files, and nothing was changed"));
            Assert.That(FolderSnapshot.Of(release), Is.EqualTo(before));
            Assert.That(Directory.GetFileSystemEntries(temp["releases"]), Is.EqualTo(new[] { release }), "no staging folder left");
        });
    }

    [TestCase("v1/2")]
    [TestCase("..")]
    public void A_tag_that_cannot_be_a_folder_is_refused(string tag)
    {
        using var temp = new TempDir("qus-folder-release");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64"));

        var error = Assert.ThrowsAsync<UserException>(() =>
            Publisher(temp["releases"]).Publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]], Tag = tag }, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"--tag '{tag}'"));
        Assert.That(Directory.Exists(temp["releases"]), Is.False);
    }
}
