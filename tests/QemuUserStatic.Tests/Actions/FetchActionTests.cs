using QemuUserStatic.Common;
using QemuUserStatic.Fetch;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Fetch;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/fetch run as a runner runs it (bash, inputs as env, GITHUB_OUTPUT): against a loopback Debian archive
/// holding Debian's real .deb, it fetches and says the configuration; with check it answers newer or not, exit 10
/// being an answer, and with update pins the newer version in the configuration file.
/// </summary>
public class FetchActionTests
{
    private const string Version = "1:7.2+dfsg-7+deb12u18+b3";
    private const string Newer = "1:7.2+dfsg-7+deb12u20";

    private static readonly CompositeAction Action = new("fetch");

    private static string Config(DebianMirrorStandIn mirror) =>
        $"# pinned by the test\nsource: debian\nqemu:\n  version: \"{Version}\"  # keep this comment\nhosts: [x86_64, aarch64]\ntargets: [aarch64, riscv64]\n" +
        $"debian:\n  mirror: {mirror.Mirror}\n  security: {mirror.Security}\n  keyring: {mirror.Keyring}\n" +
        "image:\n  repository: ghcr.io/octo/qemu-user-static\ngithub:\n  repository: octo/qemu-user-static\n";

    [Test]
    public async Task Fetches_the_configured_version_and_outputs_the_configuration_for_the_later_jobs()
    {
        var deb = PackageFixtures.DebianDeb("amd64");
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddDeb("bookworm", deb);
        mirror.Publish();
        using var work = new TempDir("qus-fetch-action");
        File.WriteAllText(work["qus.yml"], Config(mirror));

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["config"] = work["qus.yml"], ["host-arch"] = "amd64", ["output"] = work["packages"], ["cache"] = work["cache"],
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        var fetched = FetchedList.Read(work["packages/fetched.json"]);
        Assert.Multiple(() =>
        {
            Assert.That(run.Outputs["fetched"], Is.EqualTo(work["packages/fetched.json"]));
            Assert.That(run.Outputs["files"], Is.EqualTo(work["packages/" + Path.GetFileName(deb)]));
            Assert.That(fetched.Files.Single().Sha256, Is.EqualTo(Sha256Hex.OfFile(deb)));
            Assert.That(run.Outputs["version"], Is.EqualTo(Version));
            Assert.That(run.Outputs["source"], Is.EqualTo("debian"));
            Assert.That(run.Outputs["hosts"], Is.EqualTo("[\"x86_64\"]"), "the host-arch input overrides the configured hosts");
            Assert.That(run.Outputs["targets"], Is.EqualTo("aarch64,riscv64"));
            Assert.That(run.Outputs["image-repository"], Is.EqualTo("ghcr.io/octo/qemu-user-static"));
            Assert.That(run.Outputs["github-repository"], Is.EqualTo("octo/qemu-user-static"));
            Assert.That(run.Outputs["newer"], Is.Empty, "no check was asked for");
            Assert.That(File.ReadAllText(work["summary.md"]), Does.Contain(Path.GetFileName(deb)));
        });
    }

    [Test]
    public async Task Check_answers_newer_without_failing_and_update_pins_the_newer_version_keeping_the_rest()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            mirror.AddEntry("bookworm", arch, Version);
            mirror.AddEntry("bookworm-updates", arch, Newer);
        }

        mirror.Publish();
        using var work = new TempDir("qus-fetch-action");
        File.WriteAllText(work["qus.yml"], Config(mirror));
        var inputs = new Dictionary<string, string> { ["config"] = work["qus.yml"], ["check"] = "true", ["cache"] = work["cache"] };

        var check = Action.Run(work.Path, inputs, ActionEnvironment.For(work), "check-");
        var unchanged = File.ReadAllText(work["qus.yml"]);
        var update = Action.Run(work.Path, new Dictionary<string, string>(inputs) { ["update"] = "true" }, ActionEnvironment.For(work), "update-");
        var again = Action.Run(work.Path, inputs, ActionEnvironment.For(work), "again-");

        Assert.Multiple(() =>
        {
            Assert.That(check.Succeeded, "exit 10 (newer exists) is an answer, not a failure\n" + check);
            Assert.That(check.Outputs["newer"], Is.EqualTo("true"));
            Assert.That(check.Outputs["current"], Is.EqualTo(Version));
            Assert.That(check.Outputs["latest"], Is.EqualTo(Newer));
            Assert.That(check.Outputs["fetched"], Is.Empty, "check downloads nothing");
            Assert.That(unchanged, Is.EqualTo(Config(mirror)), "check alone leaves the configuration alone");
            Assert.That(update.Succeeded, update.ToString());
            Assert.That(File.ReadAllText(work["qus.yml"]), Is.EqualTo(Config(mirror).Replace(Version, Newer)),
                "only the version changed; comments and the rest stay");
            Assert.That(again.Succeeded, again.ToString());
            Assert.That(again.Outputs["newer"], Is.EqualTo("false"), "after the update the pin is the newest");
        });
    }

    [Test]
    public async Task A_failing_fetch_fails_the_action_with_the_tools_one_line_error()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("bookworm", "amd64", Newer);
        mirror.Publish();
        using var work = new TempDir("qus-fetch-action");
        File.WriteAllText(work["qus.yml"], Config(mirror));

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["config"] = work["qus.yml"], ["host-arch"] = "x86_64", ["output"] = work["packages"], ["cache"] = work["cache"],
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, Is.False);
        Assert.That(run.Steps["fetch"].StandardError, Does.Contain("qus-fetch: error:").And.Contain(Version));
        Assert.That(Directory.Exists(work["packages"]), Is.False, "nothing half-written");
    }
}
