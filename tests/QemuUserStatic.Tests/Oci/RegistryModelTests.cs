using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Tests.Oci;

[Category("Unit")]
public sealed class RegistryModelTests
{
    [Test]
    public void ParsesDockerHubsBearerChallengeWithACommaInsideQuotes()
    {
        var challenge = AuthChallenge.Parse(
            "Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull,push\"");

        Assert.Multiple(() =>
        {
            Assert.That(challenge.IsBearer, Is.True);
            Assert.That(challenge["realm"], Is.EqualTo("https://auth.docker.io/token"));
            Assert.That(challenge["service"], Is.EqualTo("registry.docker.io"));
            Assert.That(challenge["scope"], Is.EqualTo("repository:library/busybox:pull,push"));
        });
    }

    [Test]
    public void ParsesABasicChallengeWithAnUnquotedValue()
    {
        var challenge = AuthChallenge.Parse("basic", "realm=qus-test, charset=\"UTF-8\"");

        Assert.Multiple(() =>
        {
            Assert.That(challenge.IsBasic, Is.True);
            Assert.That(challenge["realm"], Is.EqualTo("qus-test"));
            Assert.That(challenge["charset"], Is.EqualTo("UTF-8"));
        });
    }

    [TestCase("busybox", "docker.io", "library/busybox", "latest", "https://registry-1.docker.io/")]
    [TestCase("docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", "https://registry-1.docker.io/")]
    [TestCase("polyarch/qemu-user-static", "docker.io", "polyarch/qemu-user-static", "latest", "https://registry-1.docker.io/")]
    [TestCase("ghcr.io/owner/qus:x86_64-aarch64", "ghcr.io", "owner/qus", "x86_64-aarch64", "https://ghcr.io/")]
    [TestCase("127.0.0.1:5000/library/busybox", "127.0.0.1:5000", "library/busybox", "latest", "http://127.0.0.1:5000/")]
    [TestCase("localhost:5000/a/b/c:7.2.0-1", "localhost:5000", "a/b/c", "7.2.0-1", "http://localhost:5000/")]
    public void NormalisesReferencesAsDockerDoes(string text, string registry, string repository, string reference, string api)
    {
        var parsed = ImageReference.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Registry, Is.EqualTo(registry));
            Assert.That(parsed.Repository, Is.EqualTo(repository));
            Assert.That(parsed.Reference, Is.EqualTo(reference));
            Assert.That(parsed.ApiBase.ToString(), Is.EqualTo(api));
        });
    }

    [Test]
    public void KeepsADigestReference()
    {
        var digest = "sha256:" + new string('a', 64);

        var parsed = ImageReference.Parse($"busybox:1.36@{digest}");

        Assert.That((parsed.Tag, parsed.Reference), Is.EqualTo(("1.36", digest)));
    }

    [TestCase("Busybox")]
    [TestCase("docker.io/library/busy box")]
    [TestCase("ghcr.io/owner/")]
    public void RejectsMalformedReferencesWithOneLine(string text)
    {
        var error = Assert.Throws<UserException>(() => ImageReference.Parse(text, "--base"));

        Assert.That(error!.Message, Does.StartWith("--base: ").And.Not.Contain("\n"));
    }

    [Test]
    public void APushDestinationNamesNoTag()
    {
        var error = Assert.Throws<UserException>(() => ImageReference.ParseRepository("127.0.0.1:5000/qus:latest", "--to"));

        Assert.That(error!.Message, Does.Contain("repository only"));
    }

    [Test]
    public void PicksTheSameVariantFirstThenAnUnstatedOne()
    {
        Descriptor Entry(string platform, char fill) => new()
        {
            MediaType = MediaTypes.ImageManifest,
            Digest = "sha256:" + new string(fill, 64),
            Size = 1,
            Platform = OciPlatform.TryParse(platform, out var p) ? p : null,
        };
        var index = new ImageIndex { Manifests = [Entry("linux/amd64", 'a'), Entry("linux/arm64", 'b'), Entry("linux/arm64/v8", 'c'), Entry("linux/arm/v7", 'd')] };

        Assert.Multiple(() =>
        {
            Assert.That(index.ManifestFor(ArchitectureTable.Get("aarch64").Platform!)!.Digest, Does.EndWith("ccc"));
            Assert.That(index.ManifestFor(new OciPlatform("linux", "arm64"))!.Digest, Does.EndWith("bbb"));
            Assert.That(index.ManifestFor(ArchitectureTable.Get("x86_64").Platform!)!.Digest, Does.EndWith("aaa"));
            Assert.That(index.ManifestFor(new OciPlatform("linux", "arm", "v6")), Is.Null);
            Assert.That(index.ManifestFor(ArchitectureTable.Get("s390x").Platform!), Is.Null);
        });
    }

    [Test]
    public void AnUnreachableRegistryIsOneUserErrorAfterTheRetries()
    {
        var attempts = 0;
        var policy = new QemuUserStatic.Net.RetryPolicy { Delay = (_, _) => { attempts++; return Task.CompletedTask; } };
        using var client = new RegistryClient("127.0.0.1:1", null, "QUS_BASE_USERNAME and QUS_BASE_PASSWORD", policy: policy);

        var error = Assert.ThrowsAsync<UserException>(() => client.GetManifestAsync("library/busybox", "latest", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("http://127.0.0.1:1/v2/library/busybox/manifests/latest: ").And.Not.Contain("\n"));
            Assert.That(attempts, Is.EqualTo(policy.MaxAttempts - 1), "retried before giving up");
        });
    }

    [Test]
    public void CredentialsNeverPrintTheirPassword()
    {
        var credentials = new RegistryCredentials("robot", "s3cret-token");

        Assert.That(credentials.ToString(), Does.Not.Contain("s3cret"));
    }
}
