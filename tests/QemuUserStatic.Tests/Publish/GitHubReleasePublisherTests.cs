using QemuUserStatic.Cli;
using QemuUserStatic.Net;
using QemuUserStatic.Releases;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Publish;

/// <summary>The publisher in-process, where the retry policy's waiting is recorded instead of slept.</summary>
[Category("Unit")]
public class GitHubReleasePublisherTests
{
    private const string Token = "ghp_InProcessToken_9d8c7b";

    [Test]
    public async Task Server_waits_are_honoured_without_sleeping_and_the_bound_gives_up_with_one_line()
    {
        using var temp = new TempDir("qus-publisher");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64"));
        await using var github = await FakeGitHub.StartAsync(token: Token);
        github.RetryAfterSeconds = 90;
        github.FailApi("GET", "/releases/tags/v" + TarballsFolder.TagVersion, Fault.SecondaryRateLimit);
        github.FailUpload("qemu-aarch64-static", Fault.BadGateway, times: 100);
        var waits = new List<TimeSpan>();
        var log = new StringWriter();
        var connection = new GitHubConnection
        {
            ApiUrl = github.ApiUrl,
            Token = Token,
            RetryPolicy = RetryPolicy.Default with { MaxAttempts = 3, Delay = (wait, _) => { lock (waits) { waits.Add(wait); } return Task.CompletedTask; } },
        };
        var repository = new GitHubRepository("octo-org", "qemu-user-static");
        var publisher = new GitHubReleasePublisher(new GitHubReleases(connection, repository), TestReporter.To(log), new StringWriter());

        var failure = Assert.ThrowsAsync<UserException>(() =>
            publisher.PublishAsync(new PublishRequest { AssetsFolders = [temp["assets"]], Repository = repository }, CancellationToken.None));

        Assert.That(waits, Has.Member(TimeSpan.FromSeconds(90)), "Retry-After: 90 was waited for");
        Assert.That(failure!.Message, Does.StartWith("upload qemu-aarch64-static: HTTP 502").And.Contain("gave up after 3 attempts").And.Not.Contain("\n"));
        Assert.That(github.Requests.Count(r => r.EndsWith("?name=qemu-aarch64-static", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(github.Release("v" + TarballsFolder.TagVersion)!.Assets.Select(a => a.Name), Has.None.EqualTo("qemu-aarch64-static"));
        Assert.That(log.ToString() + failure.Message, Does.Not.Contain(Token));
    }

    [Test]
    public async Task A_folder_that_does_not_match_its_manifest_is_refused_before_anything_is_published()
    {
        using var temp = new TempDir("qus-publisher");
        var assets = temp["assets"];
        TarballsFolder.Write(assets, TarballsFolder.RealEmulators("aarch64"));
        var tarball = Path.Combine(assets, "x86_64_qemu-aarch64-static.tar.gz");

        File.AppendAllText(tarball, "x");
        var changed = Assert.ThrowsAsync<UserException>(() => AssetFolder.LoadAsync(assets, CancellationToken.None));
        Assert.That(changed!.Message, Does.StartWith(tarball + ": does not match manifest.json"));

        File.Delete(tarball);
        var missing = Assert.ThrowsAsync<UserException>(() => AssetFolder.LoadAsync(assets, CancellationToken.None));
        Assert.That(missing!.Message, Is.EqualTo($"{tarball}: no such file (listed in manifest.json)"));

        File.WriteAllText(tarball, "stray");
        File.Move(tarball, Path.Combine(assets, "notes.txt"));
        var stray = Assert.ThrowsAsync<UserException>(() => AssetFolder.LoadAsync(assets, CancellationToken.None));
        Assert.That(stray!.Message, Does.Contain("notes.txt: not listed in manifest.json"));
        await Task.CompletedTask;
    }
}
