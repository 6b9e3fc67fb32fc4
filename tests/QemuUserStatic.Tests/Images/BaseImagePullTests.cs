using System.Text.Json.Nodes;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Images;

/// <summary>
/// qus-images pulling its base from a real registry (Debian's docker-registry) the way it pulls busybox from Docker Hub:
/// with HTTP Basic (htpasswd), and with token authentication through a loopback stand-in of Docker Hub's token service.
/// </summary>
[NonParallelizable]
public sealed class BaseImagePullTests
{
    private const string User = "qus-robot";
    private const string Password = "pull-secret-7f3a";
    private readonly TempDir work = new("qus-images-pull");

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [Test]
    public void PullsTheHostsPlatformWithBasicCredentialsOnceAndThenWorksFromTheCache()
    {
        var cache = work["basic-cache"];
        string reference;
        ProcessResult anonymous, wrong, pulled, again, always;
        int TagLookups(LocalRegistry registry) =>
            registry.Log.Split('\n').Count(l => l.Contains("\"GET /v2/library/busybox/manifests/latest HTTP/1.1\" 200", StringComparison.Ordinal));
        int[] lookups;
        using (var registry = LocalRegistry.WithHtpasswd(User, Password))
        {
            reference = $"{registry.Address}/library/busybox:latest";
            BusyboxBase.PushTo($"docker://{reference}", registry.AuthFile(User, Password));
            anonymous = Build("anonymous", reference, cache, null);
            wrong = Build("wrong", reference, cache, "not-the-password");
            pulled = Build("pulled", reference, cache, Password);
            var afterPull = TagLookups(registry);
            again = Build("again", reference, cache, Password);
            var afterAgain = TagLookups(registry);
            always = Build("always", reference, cache, Password, "--pull", "always");
            lookups = [afterPull, afterAgain, TagLookups(registry)];
        }

        // The registry is gone: the cached base must do.
        var cached = Build("cached", reference, cache, null);

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.ExitCode, Is.EqualTo(1), anonymous.ToString());
            Assert.That(anonymous.StandardError, Does.Contain("access denied (HTTP 401); set QUS_BASE_USERNAME and QUS_BASE_PASSWORD"));
            Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.ToString());
            Assert.That(wrong.StandardError, Does.Contain("access denied").And.Not.Contain("not-the-password"));
            Assert.That(pulled.ExitCode, Is.Zero, pulled.ToString());
            Assert.That(pulled.StandardError, Does.Not.Contain(Password));
            Assert.That(cached.ExitCode, Is.Zero, cached.ToString());
            Assert.That(cached.StandardOutput, Is.EqualTo(pulled.StandardOutput));
            Assert.That((again.ExitCode, always.ExitCode), Is.EqualTo((0, 0)), again.ToString() + always);
            Assert.That(lookups, Is.EqualTo(new[] { 1, 1, 2 }), "the tag is resolved once, then again only with --pull always");
        });
        var latest = OciInspect.Raw($"oci:{work["pulled"]}:latest").Json["annotations"]!;
        Assert.Multiple(() =>
        {
            Assert.That(latest["org.opencontainers.image.base.digest"]!.GetValue<string>(), Is.EqualTo(BusyboxBase.ManifestDigests["amd64"]));
            Assert.That(latest["org.opencontainers.image.base.name"]!.GetValue<string>(), Is.EqualTo(reference));
            // Only the host's platform was downloaded: the arm64 manifest is not in the cache.
            Assert.That(File.Exists(OciInspect.Blob(cache, BusyboxBase.ManifestDigests["arm64"])), Is.False);
            Assert.That(File.Exists(OciInspect.Blob(cache, BusyboxBase.ManifestDigests["amd64"])), Is.True);
        });
    }

    [Test]
    public async Task PullsThroughDockerHubsTokenFlow()
    {
        await using var tokens = await TokenService.StartAsync(User, Password);
        using var registry = LocalRegistry.WithTokens(tokens);
        var reference = $"{registry.Address}/library/busybox:latest";
        BusyboxBase.PushTo($"docker://{reference}", registry.AuthFile(User, Password));
        tokens.Requests.Clear();

        var wrong = Build("token-wrong", reference, work["token-cache-wrong"], "nope");
        var pulled = Build("token", reference, work["token-cache"], Password);

        Assert.Multiple(() =>
        {
            Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.ToString());
            Assert.That(wrong.StandardError, Does.Contain("access denied"));
            Assert.That(pulled.ExitCode, Is.Zero, pulled.ToString() + registry.Log);
            Assert.That(tokens.Requests, Does.Contain(("repository:library/busybox:pull", true)));
            Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(work["token"], "index.json")))!["manifests"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    private ProcessResult Build(string output, string reference, string cache, string? password, params string[] extra) =>
        ImageLayouts.Build(
            work[output],
            ["--input", ImageLayouts.X86Input, "--tags", "latest,register", "--base", reference, "--cache", cache, .. extra],
            new Dictionary<string, string?>
            {
                ["QUS_BASE_USERNAME"] = password is null ? null : User,
                ["QUS_BASE_PASSWORD"] = password,
            });
}
