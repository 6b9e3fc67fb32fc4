using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Fetch;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

public class DebianFetchTests
{
    private const string Version = "1:7.2+dfsg-7+deb12u18+b3";

    // The version of Debian's real .deb the mirror serves today (tests that serve it follow it, not a constant).
    private static string RealVersion => ToolProcess.ShellOrThrow($"dpkg-deb -f '{Amd64}' Version").Trim();

    private static string Amd64 => PackageFixtures.DebianDeb("amd64");

    private static async Task<(DebianMirrorStandIn Mirror, string PoolPath)> Amd64MirrorAsync()
    {
        var mirror = await DebianMirrorStandIn.StartAsync();
        var pool = mirror.AddDeb("bookworm", Amd64);
        mirror.Publish();
        return (mirror, pool);
    }

    [Test]
    public async Task Fetches_each_host_from_the_pool_verified_and_a_second_run_downloads_nothing()
    {
        var arm64 = PackageFixtures.DebianDeb("arm64");
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddDeb("bookworm", Amd64);
        mirror.AddDeb("bookworm", arm64);
        mirror.AddEntry("bookworm-updates", "amd64", "1:99.0+dfsg-1");
        mirror.Publish();
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], $"source: debian\nqemu:\n  version: \"{RealVersion}\"\nhosts: [x86_64, aarch64]\n" +
                                           $"debian:\n  mirror: {mirror.Mirror}\n  security: {mirror.Security}\n  keyring: {mirror.Keyring}\n");
        var env = new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["github-output"] };

        var first = ToolProcess.RunTool("Qus.Fetch", ["--output", temp["out"], "--cache", temp["cache"]], env, temp.Path);

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var fetched = FetchedList.Read(temp["out/fetched.json"]);
        Assert.That(fetched.Source, Is.EqualTo("debian"));
        Assert.That(fetched.Version, Is.EqualTo(RealVersion));
        Assert.That(fetched.Files.Select(f => (f.Host, f.Arch, f.Name)), Is.EqualTo(new[]
        {
            ("x86_64", "amd64", Path.GetFileName(Amd64)), ("aarch64", "arm64", Path.GetFileName(arm64)),
        }));
        foreach (var (file, original) in fetched.Files.Zip([Amd64, arm64]))
        {
            Assert.That(Sha256Hex.OfFile(temp["out/" + file.Name]), Is.EqualTo(Sha256Hex.OfFile(original)));
            Assert.That(file.Sha256, Is.EqualTo(Sha256Hex.OfFile(original)));
            Assert.That(file.Checks, Is.SupersetOf(new[] { "size", "sha256" }));
            Assert.That(file.Url, Is.EqualTo(mirror.Mirror + "pool/main/q/qemu/" + file.Name));
            Assert.That(first.StandardOutput, Does.Contain($"{file.Name}  {file.Size}  sha256:{file.Sha256}"));
        }

        Assert.That(File.ReadAllText(temp["github-output"]), Does.Contain("fetched=" + temp["out/fetched.json"]).And.Contain("files<<"));
        Assert.That(Directory.GetFiles(temp["out"]).Select(Path.GetFileName), Has.None.StartsWith("."), "no temporary files left");

        var requests = mirror.Files.Requests.Count;
        var second = ToolProcess.RunTool("Qus.Fetch", ["--output", temp["out2"], "--cache", temp["cache"]], env, temp.Path);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(mirror.Files.Requests.Count, Is.EqualTo(requests), "the second run asks the mirror nothing");
        Assert.That(File.ReadAllBytes(temp["out2/fetched.json"]), Is.EqualTo(File.ReadAllBytes(temp["out/fetched.json"])));
    }

    [Test]
    public async Task A_dropped_connection_is_resumed_with_a_range_request()
    {
        var (mirror, pool) = await Amd64MirrorAsync();
        await using var _ = mirror;
        mirror.Files.Inject(pool, FileFault.DropHalfway);
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64"));

        var attempts = mirror.Files.Requests.Where(r => r.Path == pool).ToList();
        Assert.That(attempts, Has.Count.EqualTo(2));
        Assert.That(attempts[0].Range, Is.Null);
        Assert.That(attempts[1].Range, Does.Match(@"^bytes=[1-9][0-9]*-$"), "the second request resumes where the first stopped");
        Assert.That(Sha256Hex.OfFile(Path.Combine(harness.Output, fetched.Files[0].Name)), Is.EqualTo(Sha256Hex.OfFile(Amd64)));
        Assert.That(harness.Log.ToString(), Does.Contain("connection lost"));
    }

    [Test]
    public async Task A_503_is_retried()
    {
        var (mirror, pool) = await Amd64MirrorAsync();
        await using var _ = mirror;
        mirror.Files.Inject(pool, FileFault.ServiceUnavailable);
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64"));

        Assert.That(mirror.Files.Requests.Count(r => r.Path == pool), Is.EqualTo(2));
        Assert.That(fetched.Files[0].Sha256, Is.EqualTo(Sha256Hex.OfFile(Amd64)));
    }

    [Test]
    public async Task A_file_whose_bytes_do_not_match_the_index_is_rejected_naming_the_url()
    {
        var (mirror, pool) = await Amd64MirrorAsync();
        await using var _ = mirror;
        using var harness = new FetchHarness();
        var tampered = harness["tampered.deb"];
        var bytes = File.ReadAllBytes(Amd64);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(tampered, bytes);
        mirror.Files.Add(pool, tampered);

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64")));

        Assert.That(ex!.Message, Does.StartWith(mirror.Mirror + pool["/debian/".Length..] + ": SHA-256 mismatch: the source publishes " + Sha256Hex.OfFile(Amd64)));
        Assert.That(ex.Message, Does.EndWith("got " + Sha256Hex.OfFile(tampered)));
        Assert.That(Directory.Exists(harness.Output), Is.False, "nothing written");
        Assert.That(Directory.GetFiles(harness.Cache, "*.deb", SearchOption.AllDirectories), Is.Empty, "nothing cached");
    }

    [Test]
    public async Task A_missing_pool_file_is_a_404_naming_the_url()
    {
        var (mirror, pool) = await Amd64MirrorAsync();
        await using var _ = mirror;
        mirror.Files.Inject(pool, FileFault.NotFound);
        using var harness = new FetchHarness();

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64")));

        Assert.That(ex!.Message, Is.EqualTo($"{mirror.Mirror}{pool["/debian/".Length..]}: HTTP 404 Not Found"));
        Assert.That(Directory.Exists(harness.Output), Is.False);
    }

    [Test]
    public async Task A_version_the_index_does_not_list_is_an_error_naming_what_is_there()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("bookworm", "amd64", Version);
        mirror.AddEntry("bookworm-security", "amd64", "1:7.2+dfsg-7+deb12u15", archive: "debian-security");
        mirror.Publish();
        using var harness = new FetchHarness();

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Debian(mirror, "1:7.2+dfsg-7+deb12u99", "x86_64")));

        Assert.That(ex!.Message, Is.EqualTo(
            $"{mirror.Mirror}: no qemu-user-static 1:7.2+dfsg-7+deb12u99 for amd64 in bookworm, bookworm-updates, bookworm-security " +
            $"(there: {Version} (bookworm), 1:7.2+dfsg-7+deb12u15 (bookworm-security)); no qus.lock.json to take it from the snapshot archive; " +
            $"newest available: {Version}; move the pin with `qus-fetch --check --update`"));
    }

    [Test]
    public async Task Check_exits_10_for_a_newer_stable_version_and_0_when_only_a_release_candidate_is_newer()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            mirror.AddEntry("bookworm", arch, Version);
            mirror.AddEntry("bookworm", arch, "1:8.0.0~rc1+dfsg-1");
        }

        mirror.AddEntry("bookworm-updates", "amd64", "1:7.2+dfsg-7+deb12u20"); // amd64 only: not yet for every host
        mirror.Publish();
        using var temp = new TempDir();
        string[] args = ["--check", "--qemu-version", Version, "--mirror", mirror.Mirror.ToString(), "--cache", temp["cache"], "--config", temp["qus.yml"]];
        File.WriteAllText(temp["qus.yml"], $"hosts: [x86_64, aarch64]\ndebian:\n  keyring: {mirror.Keyring}\n");
        var env = new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["out-1"] };

        var current = ToolProcess.RunTool("Qus.Fetch", args, env);

        Assert.That(current.ExitCode, Is.EqualTo(0), current.ToString());
        Assert.That(current.StandardOutput, Is.EqualTo($"current: {Version}\nlatest: {Version}\n"));
        Assert.That(File.ReadAllText(temp["out-1"]), Is.EqualTo($"current={Version}\nlatest={Version}\nnewer=false\n"));

        mirror.AddEntry("bookworm-updates", "arm64", "1:7.2+dfsg-7+deb12u20");
        mirror.Publish();
        env["GITHUB_OUTPUT"] = temp["out-2"];
        var newer = ToolProcess.RunTool("Qus.Fetch", args, env);

        Assert.That(newer.ExitCode, Is.EqualTo(10), newer.ToString());
        Assert.That(newer.StandardOutput, Is.EqualTo($"current: {Version}\nlatest: 1:7.2+dfsg-7+deb12u20\n"));
        Assert.That(File.ReadAllText(temp["out-2"]), Does.Contain("newer=true").And.Contain("latest=1:7.2+dfsg-7+deb12u20"));
    }
}
