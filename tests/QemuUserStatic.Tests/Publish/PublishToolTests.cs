using QemuUserStatic.Manifests;
using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Publish;

/// <summary>
/// qus-publish run as a real process against <see cref="FakeGitHub"/>, with a real qus-tarballs-like folder of
/// the machine's emulators. Every run is checked for the token in its output, and every scenario ends with the
/// release holding each file exactly once with the right bytes.
/// </summary>
public class PublishToolTests
{
    private const string Token = "ghp_QusPublishTestToken_5b1f0c9e77";
    private const string Repository = "octo-org/qemu-user-static";
    private static readonly string Tag = "v" + TarballsFolder.TagVersion;
    private static readonly string[] Names =
    [
        "SHA256SUMS", "manifest.json", "qemu-aarch64-static", "qemu-aarch64-static.tar.gz", "qemu-riscv64-static",
        "qemu-riscv64-static.tar.gz", "sbom.spdx.json", "x86_64_qemu-aarch64-static.tar.gz", "x86_64_qemu-riscv64-static.tar.gz",
    ];

    private Dictionary<string, byte[]> emulators = null!;
    private TempDir temp = null!;
    private FakeGitHub github = null!;
    private string assets = null!;

    [OneTimeSetUp]
    public void ReadEmulators() => emulators = TarballsFolder.RealEmulators("aarch64", "riscv64");

    [SetUp]
    public async Task StartGitHub()
    {
        temp = new TempDir("qus-publish");
        github = await FakeGitHub.StartAsync(Repository, Token);
        github.MaxPerPage = 3; // 8 assets: clients must follow Link to page 3
        assets = temp["assets"];
        TarballsFolder.Write(assets, emulators);
    }

    [TearDown]
    public async Task StopGitHub()
    {
        await github.DisposeAsync();
        temp.Dispose();
    }

    [Test]
    public void Fresh_publish_creates_the_release_and_uploads_every_file_once_to_the_upload_host()
    {
        var result = Publish("--prerelease", "--target", "release-7.2");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var release = github.Release(Tag)!;
        Assert.That(result.StandardOutput.Trim(), Is.EqualTo($"{github.ApiUrl}{Repository}/releases/tag/{Tag}"));
        Assert.That((release.Name, release.Draft, release.Prerelease, release.Target), Is.EqualTo((Tag, false, true, "release-7.2")));
        var manifest = ReleaseManifest.Load(assets);
        Assert.That(release.Body, Does.Contain($"QEMU {manifest.QemuVersion}").And.Contain(manifest.Sources.Single().Sha256));
        foreach (var name in Names)
        {
            Assert.That(release.Body, Does.Contain($"| {name} |").And.Contain(Sha256Hex.OfFile(Path.Combine(assets, name))));
        }

        AssertReleaseHoldsTheFolder();
        Assert.That(github.CompletedUploads.Values, Is.All.EqualTo(1));
        var types = release.Assets.ToDictionary(a => a.Name, a => a.ContentType);
        Assert.That(types["qemu-aarch64-static"], Is.EqualTo("application/octet-stream"));
        Assert.That(types["x86_64_qemu-riscv64-static.tar.gz"], Is.EqualTo("application/gzip"));
        Assert.That(types["manifest.json"], Is.EqualTo("application/json"));
        Assert.That(types["SHA256SUMS"], Is.EqualTo("text/plain"));
        Assert.That(github.Requests.Count(r => r.StartsWith("uploads POST ", StringComparison.Ordinal)), Is.EqualTo(Names.Length));
        Assert.That(github.Requests.Where(r => r.Contains("/assets?", StringComparison.Ordinal)), Is.All.StartsWith("uploads "));

        var outputs = File.ReadAllLines(temp["github-output"]);
        Assert.That(outputs, Is.EquivalentTo(new[]
        {
            $"release-url={github.ApiUrl}{Repository}/releases/tag/{Tag}", $"release-id={release.Id}", "uploaded=9", "skipped=0",
        }));
        Assert.That(File.ReadAllText(temp["step-summary"]), Does.Contain("| qemu-riscv64-static | ").And.Contain("| upload |"));
    }

    [Test]
    public void Json_prints_the_release_and_every_file_with_what_was_done_and_the_same_outputs()
    {
        var result = Publish("--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        var release = github.Release(Tag)!;
        var files = json["files"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(json["releaseUrl"]!.GetValue<string>(), Is.EqualTo($"{github.ApiUrl}{Repository}/releases/tag/{Tag}"));
            Assert.That(json["releaseId"]!.GetValue<long>(), Is.EqualTo(release.Id));
            Assert.That(json["tag"]!.GetValue<string>(), Is.EqualTo(Tag));
            Assert.That((json["uploaded"]!.GetValue<int>(), json["skipped"]!.GetValue<int>(), json["dryRun"]!.GetValue<bool>()), Is.EqualTo((9, 0, false)));
            Assert.That(files.Keys, Is.EquivalentTo(Names));
            Assert.That(files.Values.Select(f => f!["action"]!.GetValue<string>()), Is.All.EqualTo("upload"));
            Assert.That(files.ToDictionary(f => f.Key, f => f.Value!["sha256"]!.GetValue<string>()), Is.EqualTo(StoredSha256()));
            Assert.That(result.StandardError, Does.Contain($"{github.ApiUrl}{Repository}/releases/tag/{Tag}"), "the line stdout has otherwise");
            Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("uploaded=9").And.Contain($"release-id={release.Id}"));
        });

        var rerun = StepJson.Parse(Publish("--json"));
        Assert.That((rerun["uploaded"]!.GetValue<int>(), rerun["skipped"]!.GetValue<int>()), Is.EqualTo((0, 9)));
    }

    [Test]
    public void A_rerun_uploads_nothing_and_skips_every_asset()
    {
        Assert.That(Publish().ExitCode, Is.Zero);
        var before = github.Requests.Count;

        var result = Publish();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var rerun = github.Requests.Skip(before).ToList();
        Assert.That(rerun, Has.None.StartsWith("uploads POST").And.None.Contains(" DELETE ").And.None.Contains(" POST "));
        Assert.That(rerun, Has.Some.Contains("/assets?per_page=100&page=3"), "the server gives 3 a page: its Link headers were followed");
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("uploaded=0").And.Contain("skipped=9"));
        Assert.That(github.Releases, Has.Count.EqualTo(1));
        AssertReleaseHoldsTheFolder();
    }

    [Test]
    public void A_rerun_against_a_server_without_digests_trusts_the_release_SHA256SUMS()
    {
        github.ServesDigest = false;
        Assert.That(Publish().ExitCode, Is.Zero);
        var before = github.Requests.Count;

        var result = Publish();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var downloaded = github.Requests.Skip(before).Where(r => r.StartsWith("storage GET", StringComparison.Ordinal))
            .Select(r => github.Release(Tag)!.Assets.Single(a => r.EndsWith($"/{a.Id}", StringComparison.Ordinal)).Name);
        Assert.That(downloaded, Is.EquivalentTo(new[] { "SHA256SUMS", "SHA256SUMS", "manifest.json" }),
            "SHA256SUMS read for the listed files, the two unlisted ones hashed; no binary downloaded");
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("skipped=9"));
        AssertReleaseHoldsTheFolder();
    }

    [Test]
    public void Transient_faults_are_retried_and_every_asset_ends_up_there_once()
    {
        github.FailUpload("qemu-aarch64-static", Fault.BadGateway);
        github.FailUpload("qemu-riscv64-static", Fault.DropMidUpload);
        github.FailUpload("qemu-aarch64-static.tar.gz", Fault.SecondaryRateLimit);
        github.FailUpload("x86_64_qemu-riscv64-static.tar.gz", Fault.BadGatewayLeavingStarter);
        github.FailUpload("manifest.json", Fault.DropAnswer);
        github.FailApi("GET", "/assets", Fault.PrimaryRateLimit);
        github.FailApi("GET", "/releases/tags/" + Tag, Fault.DropMidUpload);
        github.FailApi("POST", "/releases", Fault.DropAnswer);

        var result = Publish();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        AssertReleaseHoldsTheFolder();
        Assert.That(github.CompletedUploads.Values, Is.All.EqualTo(1), "the upload whose answer was lost was not repeated");
        Assert.That(github.Releases, Has.Count.EqualTo(1), "the create whose answer was lost was not repeated");
        Assert.That(github.Requests.Count(r => r == $"api POST /repos/{Repository}/releases"), Is.EqualTo(2), "sent again, 422 already_exists");
        Assert.That(github.Requests.Count(r => r.EndsWith("?name=manifest.json", StringComparison.Ordinal)), Is.EqualTo(2), "sent again, 422 already_exists");
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("uploaded=9"));
        Assert.That(result.StandardError, Does.Contain("HTTP 502").And.Contain("HTTP 403"));
        Assert.That(result.StandardError, Does.Contain("retrying in 1.0 s: POST http://localhost:"), "Retry-After: 1 honoured");
        Assert.That(result.StandardError, Does.Contain("qemu-riscv64-static: clearing the asset left in state 'starter'"));
        Assert.That(result.StandardError, Does.Contain("x86_64_qemu-riscv64-static.tar.gz: clearing the asset left in state 'starter'"));
    }

    [Test]
    public void An_interrupted_run_gives_up_with_one_line_and_a_rerun_finishes_the_job()
    {
        github.FailUpload("qemu-riscv64-static", Fault.DropMidUpload, times: 100);

        var failed = Publish();

        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
        var error = LastLine(failed.StandardError);
        Assert.That(error, Does.StartWith("qus-publish: error: upload qemu-riscv64-static:").And.Contain("run again"));
        var release = github.Release(Tag)!;
        Assert.That(release.Assets.Single(a => a.Name == "qemu-riscv64-static").State, Is.EqualTo("starter"));
        Assert.That(release.Assets.Select(a => a.Name), Has.None.EqualTo("SHA256SUMS").And.None.EqualTo("manifest.json"),
            "the index files wait until everything they list is there");

        github.ClearFaults();
        var rerun = Publish();

        Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("uploaded=3").And.Contain("skipped=6"));
        AssertReleaseHoldsTheFolder();
        Assert.That(github.CompletedUploads.Values, Is.All.EqualTo(1), "nothing uploaded twice");
    }

    [Test]
    public void A_starter_asset_left_by_an_earlier_client_is_deleted_and_uploaded_again()
    {
        github.SeedRelease(Tag);
        github.Seed(Tag, "qemu-aarch64-static", [], state: "starter");

        var result = Publish();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain("re-upload qemu-aarch64-static"));
        AssertReleaseHoldsTheFolder();
    }

    [Test]
    public void A_changed_file_is_an_error_naming_it_and_is_replaced_with_replace()
    {
        Assert.That(Publish().ExitCode, Is.Zero);
        var published = Names.ToDictionary(n => n, n => Sha256Hex.OfFile(Path.Combine(assets, n)));
        var changed = new Dictionary<string, byte[]>(emulators) { ["aarch64"] = [.. emulators["aarch64"]] };
        changed["aarch64"][1000] ^= 0xff; // same size, other bytes: only the sha256 tells
        TarballsFolder.Write(assets, changed);
        var dryRun = Publish("--dry-run");
        Assert.That(dryRun.ExitCode, Is.EqualTo(1), dryRun.ToString());
        Assert.That(dryRun.StandardOutput, Does.Contain("would refuse qemu-aarch64-static: it differs (sha256 "));

        var refused = Publish();

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        var error = LastLine(refused.StandardError);
        Assert.That(error, Does.StartWith("qus-publish: error: 6 files differ from the assets on release " + Tag));
        Assert.That(error, Does.Contain("qemu-aarch64-static (sha256 ").And.Contain("--replace"));
        Assert.That(StoredSha256(), Is.EqualTo(published), "nothing changed");

        var replaced = Publish("--replace");

        Assert.That(replaced.ExitCode, Is.Zero, replaced.ToString());
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("uploaded=6").And.Contain("skipped=3"));
        AssertReleaseHoldsTheFolder();
    }

    [Test]
    public void A_dry_run_prints_the_plan_and_changes_nothing()
    {
        var fresh = Publish("--dry-run");

        Assert.That(fresh.ExitCode, Is.Zero, fresh.ToString());
        Assert.That(fresh.StandardOutput, Does.Contain($"would create release {Tag} in {Repository}"));
        Assert.That(fresh.StandardOutput.Split('\n'), Is.SupersetOf(Names.Select(n => $"would upload {n}")));
        Assert.That(github.Releases, Is.Empty);

        Assert.That(Publish().ExitCode, Is.Zero);
        var published = StoredSha256();
        var changed = new Dictionary<string, byte[]>(emulators) { ["riscv64"] = emulators["riscv64"][..^1] };
        TarballsFolder.Write(assets, changed);
        var before = github.Requests.Count;

        var plan = Publish("--dry-run", "--replace");

        Assert.That(plan.ExitCode, Is.Zero, plan.ToString());
        Assert.That(plan.StandardOutput, Does.Contain("would replace qemu-riscv64-static\n").And.Contain("would skip qemu-aarch64-static\n"));
        Assert.That(github.Requests.Skip(before), Is.All.Contains(" GET "), "a dry run only reads");
        Assert.That(StoredSha256(), Is.EqualTo(published));
    }

    [Test]
    public void A_draft_release_is_found_again_by_a_rerun()
    {
        var environment = new Dictionary<string, string?> { ["GITHUB_TOKEN"] = null, ["QUS_RELEASE_TOKEN"] = Token };
        Assert.That(Publish(environment, "--draft", "--token-env", "QUS_RELEASE_TOKEN").ExitCode, Is.Zero);

        var rerun = Publish(environment, "--draft", "--token-env", "QUS_RELEASE_TOKEN");

        Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
        Assert.That(github.Releases, Has.Count.EqualTo(1));
        Assert.That(github.Release(Tag)!.Draft, Is.True);
        Assert.That(File.ReadAllLines(temp["github-output"]), Does.Contain("skipped=9"));
        AssertReleaseHoldsTheFolder();
    }

    [Test]
    public void A_refused_token_is_one_line_without_the_token()
    {
        const string wrong = "ghp_WrongTokenThatMustNotLeak_0a1b2c";

        var result = Publish(new Dictionary<string, string?> { ["GITHUB_TOKEN"] = wrong });

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(LastLine(result.StandardError), Does.StartWith("qus-publish: error: look up release").And.Contain("GitHub refused the token (HTTP 401)"));
        Assert.That(result.StandardError.Split('\n').Count(l => l.Contains("error", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain(wrong));
    }

    [TestCase("token", "GITHUB_TOKEN is not set")]
    [TestCase("repository", "--repository 'not-a-repository': expected OWNER/NAME")]
    [TestCase("assets", "no-such-folder: no such folder")]
    public void Bad_arguments_are_one_line_errors_and_touch_nothing(string what, string message)
    {
        var environment = new Dictionary<string, string?> { ["GITHUB_TOKEN"] = what == "token" ? null : Token };
        string[] args =
        [
            "--assets", what == "assets" ? temp["no-such-folder"] : assets,
            "--repository", what == "repository" ? "not-a-repository" : Repository, "--api-url", github.ApiUrl.AbsoluteUri,
        ];

        var result = Run(environment, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        var first = result.StandardError.Split('\n')[0];
        Assert.That(first, Does.StartWith("qus-publish: ").And.Contain(message));
        Assert.That(result.StandardError, Does.Not.Contain("   at "));
        Assert.That(github.Requests, Is.Empty);
    }

    private ProcessResult Publish(params string[] extra) => Publish(new Dictionary<string, string?>(), extra);

    private ProcessResult Publish(IDictionary<string, string?> environment, params string[] extra) => Run(
        environment,
        ["--assets", assets, "--repository", Repository, "--api-url", github.ApiUrl.AbsoluteUri, "--retries", "3", "--retry-delay", "0", .. extra]);

    /// <summary>Runs qus-publish (the token in GITHUB_TOKEN unless overridden); asserts the token appears in no output of the run.</summary>
    private ProcessResult Run(IDictionary<string, string?> environment, string[] args)
    {
        var output = temp["github-output"];
        var summary = temp["step-summary"];
        File.Delete(output);
        File.Delete(summary);
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_TOKEN"] = Token, ["GITHUB_OUTPUT"] = output, ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_REPOSITORY"] = null, ["GITHUB_API_URL"] = null,
        };
        foreach (var (key, value) in environment)
        {
            env[key] = value;
        }

        var result = ToolProcess.RunTool("Qus.Publish", args, env, timeout: TimeSpan.FromMinutes(3));

        var written = string.Concat(new[] { output, summary }.Where(File.Exists).Select(File.ReadAllText));
        Assert.That(result.StandardOutput + result.StandardError + written, Does.Not.Contain(Token), "the token leaked");
        return result;
    }

    /// <summary>Each file of the folder is on the release exactly once, uploaded, with the same bytes; nothing else is.</summary>
    private void AssertReleaseHoldsTheFolder()
    {
        var release = github.Release(Tag);
        Assert.That(release, Is.Not.Null);
        Assert.That(release!.Assets.Select(a => a.Name), Is.EquivalentTo(Names));
        Assert.That(release.Assets.Select(a => a.State), Is.All.EqualTo("uploaded"));
        Assert.That(StoredSha256(), Is.EqualTo(Names.ToDictionary(n => n, n => Sha256Hex.OfFile(Path.Combine(assets, n)))));
    }

    private Dictionary<string, string> StoredSha256() =>
        github.Release(Tag)!.Assets.ToDictionary(a => a.Name, a => Sha256Hex.Of(a.Data));

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];
}
