using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/publish run as a runner runs it: to the GitHub stand-in with the token as an input (the action's default is
/// the workflow's github.token), and to a release folder; outputs checked, the token in no output.
/// </summary>
public class PublishActionTests
{
    private const string Token = "ghp_QusPublishActionToken_41c7";

    private static readonly CompositeAction Action = new("publish");

    [Test]
    public async Task Publishes_to_GitHub_with_the_token_from_the_github_context_and_outputs_the_release()
    {
        await using var github = await FakeGitHub.StartAsync(token: Token);
        using var work = new TempDir("qus-publish-action");
        TarballsFolder.Write(work["assets"], TarballsFolder.RealEmulators("aarch64"));
        var action = new CompositeAction("publish");
        action.GitHub["token"] = Token;
        action.GitHub["repository"] = github.Repository;
        action.GitHub["api_url"] = github.ApiUrl.ToString();

        var first = action.Run(work.Path, new Dictionary<string, string> { ["assets"] = work["assets"], ["tag"] = "v7.2-7+deb12u18+b3" }, ActionEnvironment.For(work), "first-");
        var again = action.Run(work.Path, new Dictionary<string, string> { ["assets"] = work["assets"], ["tag"] = "v7.2-7+deb12u18+b3" }, ActionEnvironment.For(work), "again-");

        var release = github.Release("v7.2-7+deb12u18+b3");
        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, first.ToString());
            Assert.That(release, Is.Not.Null);
            Assert.That(release!.Assets.Select(a => a.Name), Is.EquivalentTo(Directory.GetFiles(work["assets"]).Select(Path.GetFileName)));
            Assert.That(release.Assets.Select(a => a.Sha256), Is.EquivalentTo(Directory.GetFiles(work["assets"]).Select(Sha256Hex.OfFile)));
            Assert.That(first.Outputs["release-url"], Is.EqualTo($"{github.ApiUrl}{github.Repository}/releases/tag/v7.2-7+deb12u18+b3"));
            Assert.That(first.Outputs["release-id"], Is.EqualTo(release.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(first.Outputs["uploaded"], Is.EqualTo("6"));
            Assert.That(again.Succeeded, again.ToString());
            Assert.That((again.Outputs["uploaded"], again.Outputs["skipped"]), Is.EqualTo(("0", "6")), "a re-run uploads nothing");
            Assert.That(first.ToString() + again + File.ReadAllText(work["summary.md"]), Does.Not.Contain(Token));
        });
    }

    [Test]
    public void Publishes_to_a_folder_without_a_token_and_refuses_different_bytes_unless_replace()
    {
        using var work = new TempDir("qus-publish-action");
        TarballsFolder.Write(work["assets"], TarballsFolder.RealEmulators("aarch64"));
        TarballsFolder.Write(work["changed"], TarballsFolder.RealEmulators("riscv64").ToDictionary(_ => "aarch64", e => e.Value));

        var first = Action.Run(work.Path, new Dictionary<string, string> { ["assets"] = work["assets"], ["to-folder"] = work["releases"] }, ActionEnvironment.For(work), "first-");
        var refused = Action.Run(work.Path, new Dictionary<string, string> { ["assets"] = work["changed"], ["to-folder"] = work["releases"] }, ActionEnvironment.For(work), "refused-");
        var replaced = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["assets"] = work["changed"], ["to-folder"] = work["releases"], ["replace"] = "true",
        }, ActionEnvironment.For(work), "replaced-");

        var release = work["releases/v" + TarballsFolder.TagVersion];
        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, first.ToString());
            Assert.That(first.Outputs["release-url"], Is.EqualTo(release));
            Assert.That(first.Outputs["release-id"], Is.Empty);
            Assert.That(first.Outputs["uploaded"], Is.EqualTo("6"));
            Assert.That(refused.Succeeded, Is.False);
            Assert.That(refused.Steps["refused-publish"].StandardError, Does.Contain($"differ from the assets on release v{TarballsFolder.TagVersion}").And.Contain("--replace"));
            Assert.That(replaced.Succeeded, replaced.ToString());
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qemu-aarch64-static")), Is.EqualTo(File.ReadAllBytes(work["changed/qemu-aarch64-static"])));
            Assert.That(File.ReadAllText(Path.Combine(release, "RELEASE.md")), Does.Contain($"QEMU {ReleaseManifest.Load(work["assets"]).QemuVersion} "));
        });
    }

    [Test]
    public void Publishes_the_folders_of_two_hosts_given_one_a_line_as_one_release_with_the_main_host_chosen()
    {
        using var work = new TempDir("qus-publish-action");

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["assets"] = $"{ImageLayouts.X86Input}\n  {ImageLayouts.Arm64Input}\n", ["main-host"] = "arm64", ["to-folder"] = work["releases"],
        }, ActionEnvironment.For(work));

        var release = work["releases/v" + TarballsFolder.HostFolderTagVersion];
        Assert.Multiple(() =>
        {
            Assert.That(run.Succeeded, run.ToString());
            Assert.That(run.Outputs["release-url"], Is.EqualTo(release));
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qemu-x86_64-static")), Is.EqualTo(File.ReadAllBytes(Path.Combine(ImageLayouts.Arm64Input, "qemu-x86_64-static"))), "arm64 is the main host");
            Assert.That(File.Exists(Path.Combine(release, "x86_64_qemu-aarch64-static.tar.gz")) && File.Exists(Path.Combine(release, "x86_64_manifest.json")));
            Assert.That(File.Exists(Path.Combine(release, "qemu-aarch64-static")), Is.False, "the x86_64 host's plain names are not published");
            Assert.That(ToolProcess.Shell("sha256sum --strict -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
        });
    }
}
