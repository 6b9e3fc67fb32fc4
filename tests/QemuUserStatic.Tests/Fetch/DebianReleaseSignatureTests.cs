using QemuUserStatic.Cli;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>
/// The chain of trust of a Debian fetch: each suite's InRelease signed by a key of the keyring (checked by the real
/// gpgv), not expired, and every Packages index matching the SHA256 and size the signed text lists.
/// </summary>
public class DebianReleaseSignatureTests
{
    private const string Version = "1:7.2+dfsg-7+deb12u18+b3";

    private static async Task<DebianMirrorStandIn> MirrorAsync()
    {
        var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("bookworm", "amd64", Version);
        return mirror;
    }

    private static Task Resolve(FetchHarness harness, QemuUserStatic.Fetch.FetchRequest request) =>
        harness.Source(request).ResolveAsync(request.RequireVersion(), request.Hosts, CancellationToken.None);

    [Test]
    public async Task A_release_signed_by_the_keyring_and_valid_for_a_week_resolves()
    {
        await using var mirror = await MirrorAsync();
        mirror.Publish(validUntil: DateTimeOffset.UtcNow.AddDays(7));
        using var harness = new FetchHarness();
        var request = FetchHarness.Debian(mirror, Version, "x86_64");

        var packages = await harness.Source(request).ResolveAsync(request.RequireVersion(), request.Hosts, CancellationToken.None);

        Assert.That(packages.Single().Version, Is.EqualTo(Version));
        Assert.That(mirror.Files.Count("/debian/dists/bookworm/InRelease"), Is.EqualTo(1));
    }

    [TestCase("stranger", "dists/bookworm/InRelease: signature not valid for gnupg.gpg: Can't check signature: No public key")]
    [TestCase("unsigned", "dists/bookworm/InRelease: signature not valid for gnupg.gpg: ")]
    [TestCase("expired", "dists/bookworm/InRelease: expired on ")]
    [TestCase("tampered", "dists/bookworm/main/binary-amd64/Packages.xz: ")]
    [TestCase("no-keyring", "no-such.gpg: no such keyring to verify ")]
    [TestCase("no-suite", "dists/bookworm/InRelease: HTTP 404 Not Found (no suite bookworm there)")]
    public async Task A_release_that_does_not_vouch_for_the_index_stops_the_fetch_naming_it(string fault, string message)
    {
        await using var mirror = await MirrorAsync();
        using var harness = new FetchHarness();
        mirror.Publish(
            signer: fault == "stranger" ? DebianMirrorStandIn.StrangerKey : null,
            validUntil: fault == "expired" ? DateTimeOffset.UtcNow.AddDays(-1) : null);
        var request = FetchHarness.Debian(mirror, Version, "x86_64");
        switch (fault)
        {
            case "tampered":
                mirror.TamperIndex("bookworm", "amd64");
                break;
            case "unsigned":
                File.WriteAllText(harness["InRelease"], "Origin: Debian\nSuite: stable\nSHA256:\n " + new string('0', 64) + " 1 main/binary-amd64/Packages.xz\n");
                mirror.Files.Add("/debian/dists/bookworm/InRelease", harness["InRelease"]);
                break;
            case "no-keyring":
                request = request with { Debian = request.Debian with { Keyring = harness["no-such.gpg"] } };
                break;
            case "no-suite":
                mirror.Files.Inject("/debian/dists/bookworm/InRelease", FileFault.NotFound);
                break;
        }

        var ex = Assert.ThrowsAsync<UserException>(() => Resolve(harness, request));

        Assert.That(ex!.Message, Does.Contain(message).And.Not.Contain("\n"));
        if (fault == "tampered")
        {
            Assert.That(ex.Message, Does.Contain("do not match the signed InRelease"));
        }

        Assert.That(mirror.Files.Count("/debian/pool/"), Is.Zero, "no package is downloaded on an index nothing vouches for");
    }
}
