using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch;
using QemuUserStatic.Fetch.Debian;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>
/// Debian's suites as a list (sid, forky, trixie...), qemu-user from 1:9.0.2+ds-7 on, and the lock file: a pinned
/// version the mirror dropped comes from the snapshot stand-in, checked against the lock, or the error names the
/// newest version and the command that moves the pin.
/// </summary>
public class DebianSuitesAndLockTests
{
    private const string Timestamp = "20260711T101711Z";
    private const string Newer = "1:7.2+dfsg-7+deb12u99";

    private static string Amd64 => PackageFixtures.DebianDeb("amd64");

    private static string RealVersion => ToolProcess.ShellOrThrow($"dpkg-deb -f '{Amd64}' Version").Trim();

    [TestCase("1:7.2+dfsg-7+deb12u18+b3", "qemu-user-static")]
    [TestCase("1:9.0.2+ds-6", "qemu-user-static")]
    [TestCase("1:9.0.2+ds-7", "qemu-user")]
    [TestCase("1:10.0.13+ds-0+deb13u1", "qemu-user")]
    [TestCase("1:11.1.3+ds-1", "qemu-user")]
    public void The_package_carrying_the_static_emulators_follows_the_version(string version, string package) =>
        Assert.That(DebianRepository.PackageFor(version), Is.EqualTo(package));

    [Test]
    public async Task A_suite_list_is_searched_in_order_for_qemu_user_a_missing_suite_skipped_and_check_sees_every_suite()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("sid", "amd64", "1:11.1.3+ds-1");
        mirror.AddEntry("sid", "amd64", "1:11.1.3+ds-1", package: "qemu-user-static"); // the transitional symlinks
        mirror.AddEntry("trixie", "amd64", "1:10.0.13+ds-0+deb13u1");
        mirror.AddEntry("trixie-security", "amd64", "1:10.0.13+ds-0+deb13u1", archive: "debian-security");
        mirror.Publish();
        using var harness = new FetchHarness();
        var request = FetchHarness.Debian(mirror, "1:10.0.13+ds-0+deb13u1", "x86_64") with
        {
            Debian = new DebianRepositoryConfig
            {
                Mirror = mirror.Mirror, Security = mirror.Security, Keyring = mirror.Keyring,
                SuiteList = ["sid", "forky", "trixie", "trixie-updates", "trixie-security"],
            },
        };
        var source = harness.Source(request);

        var packages = await source.ResolveAsync(request.RequireVersion(), request.Hosts, CancellationToken.None);
        var latest = await source.LatestStableAsync(request.Hosts, CancellationToken.None);

        Assert.That(packages.Select(p => (p.Name, p.Version, p.Suite)), Is.EqualTo(new[] { ("qemu-user", "1:10.0.13+ds-0+deb13u1", "trixie") }), "the first suite listing it");
        Assert.That(latest.Common.Full, Is.EqualTo("1:11.1.3+ds-1"), "sid's newer QEMU is proposed");
        Assert.That(harness.Log.ToString(), Does.Contain("dists/forky/InRelease: HTTP 404 Not Found: no suite forky there, skipped"));
        Assert.That(mirror.Files.Count("/debian-security/dists/trixie-security/InRelease"), Is.EqualTo(1), "-security from the security archive");
    }

    [Test]
    public async Task Check_proposes_the_newest_version_every_host_has_and_names_the_hosts_ahead_of_it()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("sid", "amd64", "1:11.1.3+ds-1");
        mirror.AddEntry("sid", "arm64", "1:11.1.3+ds-1");
        mirror.AddEntry("sid", "riscv64", "1:11.1.2+ds-3");
        mirror.AddEntry("sid", "amd64", "1:11.1.2+ds-3");
        mirror.AddEntry("forky", "amd64", "1:11.1.2+ds-3");
        mirror.AddEntry("forky", "arm64", "1:11.1.2+ds-3");
        mirror.AddEntry("forky", "riscv64", "1:11.1.2+ds-3");
        mirror.Publish();
        using var harness = new FetchHarness();
        var request = FetchHarness.Debian(mirror, "1:11.1.2+ds-3", "x86_64", "aarch64", "riscv64") with
        {
            Debian = new DebianRepositoryConfig { Mirror = mirror.Mirror, Security = mirror.Security, Keyring = mirror.Keyring, SuiteList = ["sid", "forky"] },
        };

        var check = await VersionCheck.RunAsync(harness.Source(request), request.RequireVersion(), request.Hosts, CancellationToken.None);

        Assert.That(check.Latest.Full, Is.EqualTo("1:11.1.2+ds-3"), "riscv64 has no 11.1.3: the pin stays");
        Assert.That(check.Newer, Is.False);
        Assert.That(check.Lagging, Is.EqualTo("1:11.1.3+ds-1 exists for x86_64, aarch64 but not yet for riscv64: a pin follows the newest version every host has (1:11.1.2+ds-3)"));
    }

    [Test]
    public async Task A_pinned_version_the_mirror_dropped_comes_from_the_snapshot_archive_as_locked()
    {
        await using var mirror = await MirrorWithoutThePinAsync();
        var pins = new PinLock("debian", RealVersion, [mirror.AddSnapshot("x86_64", Timestamp, Amd64)]);
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64"), pins: pins);

        var file = fetched.Files.Single();
        Assert.That(fetched.Version, Is.EqualTo(RealVersion));
        Assert.That(file.Url, Is.EqualTo($"{mirror.Snapshot}archive/debian/{Timestamp}/pool/main/q/qemu/{Path.GetFileName(Amd64)}"));
        Assert.That(file.Checks, Is.SupersetOf(new[] { "size", "sha256", "deb-md5sums", "identity" }));
        Assert.That(Sha256Hex.OfFile(Path.Combine(harness.Output, file.Name)), Is.EqualTo(Sha256Hex.OfFile(Amd64)));
        Assert.That(harness.Log.ToString(), Does.Contain("is gone from the suites; taking it from"));
    }

    [Test]
    public async Task Other_bytes_at_the_snapshot_archive_are_refused_naming_the_file_and_the_mismatch()
    {
        await using var mirror = await MirrorWithoutThePinAsync();
        using var harness = new FetchHarness();
        var other = harness["other.deb"];
        var bytes = File.ReadAllBytes(Amd64);
        bytes[bytes.Length / 3] ^= 0x5a;
        File.WriteAllBytes(other, bytes);
        var pins = new PinLock("debian", RealVersion, [mirror.AddSnapshot("x86_64", Timestamp, Amd64, bytesFrom: other)]);

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64"), pins: pins));

        Assert.That(ex!.Message, Is.EqualTo(
            $"{mirror.Snapshot}archive/debian/{Timestamp}/pool/main/q/qemu/{Path.GetFileName(Amd64)}: SHA-256 mismatch: the source publishes {Sha256Hex.OfFile(Amd64)}, got {Sha256Hex.OfFile(other)}"));
        Assert.That(Directory.Exists(harness.Output), Is.False, "nothing written");
    }

    [TestCase("snapshot-404", "is no longer listed and the snapshot archive failed: ")]
    [TestCase("no-entry", "qus.lock.json has no entry for it to take it from the snapshot archive")]
    [TestCase("no-lock", "no qus.lock.json to take it from the snapshot archive")]
    public async Task A_pin_that_cannot_be_had_is_one_line_naming_the_newest_version_and_how_to_move_the_pin(string fault, string why)
    {
        await using var mirror = await MirrorWithoutThePinAsync();
        using var harness = new FetchHarness();
        PinLock? pins = fault switch
        {
            "snapshot-404" => new PinLock("debian", RealVersion, [mirror.AddSnapshot("x86_64", Timestamp, Amd64) with { Seen = "20200101T000000Z" }]),
            "no-entry" => new PinLock("debian", RealVersion, [mirror.AddSnapshot("aarch64", Timestamp, Amd64)]),
            _ => null,
        };

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Debian(mirror, RealVersion, "x86_64"), pins: pins));

        Assert.That(ex!.Message, Does.Contain(why).And.EndWith($"; newest available: {Newer}; move the pin with `qus-fetch --check --update`").And.Not.Contain("\n"));
        Assert.That(Directory.Exists(harness.Output), Is.False);
    }

    [Test]
    public async Task Newest_if_gone_warns_and_fetches_the_newest_version_and_says_so()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddDeb("bookworm", Amd64);
        mirror.Publish();
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Debian(mirror, "1:7.2+dfsg-7+deb12u1", "x86_64"), newestIfGone: true);

        Assert.That(fetched.Version, Is.EqualTo(RealVersion));
        Assert.That(fetched.Files.Single().Version, Is.EqualTo(RealVersion));
        Assert.That(harness.Log.ToString(), Does.Contain($"warning: {mirror.Mirror}: no qemu-user-static 1:7.2+dfsg-7+deb12u1 for amd64")
            .And.Contain($"newest available: {RealVersion}; move the pin with `qus-fetch --check --update`"));
    }

    [Test]
    public async Task Update_writes_the_lock_beside_qus_yml_and_check_update_moves_pin_and_lock_together()
    {
        await using var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddDeb("bookworm", Amd64);
        mirror.Publish();
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], $"qemu:\n  version: \"1:7.2+dfsg-7+deb12u1\"\nhosts: [x86_64]\n" +
                                           $"debian:\n  mirror: {mirror.Mirror}\n  suites: [bookworm, bookworm-updates]\n  keyring: {mirror.Keyring}\n");
        string[] args = ["--cache", temp["cache"], "--config", temp["qus.yml"]];

        var stale = ToolProcess.RunTool("Qus.Fetch", ["--update", .. args]);
        var check = ToolProcess.RunTool("Qus.Fetch", ["--check", "--update", .. args]);
        var pins = PinLock.ReadIfExists(temp["qus.lock.json"]);
        var again = ToolProcess.RunTool("Qus.Fetch", ["--update", .. args]);

        Assert.That(stale.ExitCode, Is.EqualTo(1), stale.ToString());
        Assert.That(stale.StandardError, Does.Contain("newest available: " + RealVersion).Or.Contain("no qus.lock.json"));
        Assert.That(check.ExitCode, Is.EqualTo(10), check.ToString());
        Assert.That(File.ReadAllText(temp["qus.yml"]), Does.Contain($"version: \"{RealVersion}\""));
        Assert.That(pins!.Version, Is.EqualTo(RealVersion));
        Assert.That(pins.Packages.Single(), Is.EqualTo(new LockedPackage(
            "x86_64", "qemu-user-static", RealVersion, "amd64", "bookworm", "pool/main/q/qemu/" + Path.GetFileName(Amd64),
            new FileInfo(Amd64).Length, Sha256Hex.OfFile(Amd64), Timestamp)), "seen: the suite's signed Date");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.StandardError, Does.Contain("already locks"));
    }

    // The mirror lists a newer version for amd64 only: the pinned (real) one is gone.
    private static async Task<DebianMirrorStandIn> MirrorWithoutThePinAsync()
    {
        var mirror = await DebianMirrorStandIn.StartAsync();
        mirror.AddEntry("bookworm", "amd64", Newer);
        mirror.Publish();
        return mirror;
    }
}
