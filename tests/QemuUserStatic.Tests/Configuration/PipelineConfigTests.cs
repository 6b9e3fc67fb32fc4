using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Configuration;

public class PipelineConfigTests
{
    private const string Valid = """
        # a full configuration
        source: fedora
        qemu:
          version: 7.2.0
          release: 1.fc38
        hosts: [amd64, linux/arm64]
        targets:
          - aarch64
          - armhf
        debian:
          mirror: http://mirror.example/debian
          suite: trixie
          updates: no
          security: https://mirror.example/debian-security
        fedora:
          hub: https://koji.example/kojihub
          topurl: https://kojipkgs.example
        image:
          repository: ghcr.io/someone/qemu-user-static
        github:
          repository: someone/qemu-user-static
          tag: "qemu-{version}_{release}"
        """;

    [Test]
    public void Reads_every_field_and_normalizes_architecture_names()
    {
        var config = PipelineConfigLoader.Parse(Valid, "qus.yml");

        Assert.That(config.Origin, Is.EqualTo(PackageOrigin.Fedora));
        Assert.That(config.Qemu!.Full, Is.EqualTo("7.2.0-1.fc38"));
        Assert.That(config.Hosts, Is.EqualTo(new[] { "x86_64", "aarch64" }));
        Assert.That(config.Targets, Is.EqualTo(new[] { "aarch64", "arm" }));
        Assert.That(config.TargetArches.Select(t => t.Name), Is.EqualTo(new[] { "aarch64", "arm" }));
        Assert.That(config.Debian.Suites().Select(s => $"{s.Mirror} {s.Suite}"), Is.EqualTo(new[]
        {
            "http://mirror.example/debian trixie", "https://mirror.example/debian-security trixie-security",
        }));
        Assert.That(config.Koji.Hub.AbsoluteUri, Is.EqualTo("https://koji.example/kojihub"));
        Assert.That(config.Koji.TopUrl.AbsoluteUri, Is.EqualTo("https://kojipkgs.example/"));
        Assert.That(config.ImageRepository, Is.EqualTo("ghcr.io/someone/qemu-user-static"));
        Assert.That(config.GitHubRepository, Is.EqualTo("someone/qemu-user-static"));
        Assert.That(config.ReleaseTag.Render(Manifest("7.2.0", "7.2.0-1.fc38", "7.2.0-1")), Is.EqualTo("qemu-7.2.0_1.fc38"));
    }

    [Test]
    public void The_committed_file_pins_a_debian_qemu_user_version_from_the_suites_and_locks_it()
    {
        var config = PipelineConfigLoader.LoadFile(Repo.Under("qus.yml"));
        var pins = PinLock.ReadIfExists(Repo.Under(PinLock.FileName));

        Assert.That(config.Origin, Is.EqualTo(PackageOrigin.Debian));
        Assert.That(config.Qemu!.Version, Does.Match(@"^1:11\.1\.\d+\+ds-"));
        Assert.That(config.Hosts, Is.EqualTo(new[] { "x86_64", "aarch64", "ppc64le", "s390x", "riscv64" }));
        Assert.That(config.Targets, Is.Null, "all targets");
        Assert.That(config.Debian.Suites().Select(s => $"{s.Mirror} {s.Suite}"), Is.EqualTo(new[]
        {
            "http://deb.debian.org/debian sid", "http://deb.debian.org/debian forky", "http://deb.debian.org/debian trixie",
            "http://deb.debian.org/debian trixie-updates", "http://deb.debian.org/debian-security trixie-security",
        }));
        Assert.That(pins!.Version, Is.EqualTo(config.Qemu.Full), "qus.lock.json locks the pin");
        Assert.That(pins.Packages.Select(p => (p.Host, p.Package)), Is.EqualTo(config.Hosts.Select(h => (h, "qemu-user"))));
        Assert.That(config.ReleaseTag.Render(Manifest("11.1.3", config.Qemu.Full, "11.1.3-1")), Is.EqualTo("v11.1.3-1"));
    }

    [Test]
    public void A_suite_list_reads_security_suites_from_the_security_archive()
    {
        var listed = PipelineConfigLoader.Parse("debian:\n  mirror: http://m.example/debian\n  suites: [sid, trixie, trixie-security]\n  snapshot: http://snap.example\n", "qus.yml");
        var security = PipelineConfigLoader.Parse("debian:\n  suites: [trixie-security]\n  security: http://s.example/ds\n", "qus.yml");

        Assert.That(listed.Debian.Suites().Select(s => $"{s.Mirror} {s.Suite}"), Is.EqualTo(new[]
        {
            "http://m.example/debian sid", "http://m.example/debian trixie", "http://deb.debian.org/debian-security/ trixie-security",
        }));
        Assert.That(listed.Debian.Snapshot.AbsoluteUri, Is.EqualTo("http://snap.example/"));
        Assert.That(security.Debian.Suites().Single(), Is.EqualTo((new Uri("http://s.example/ds"), "trixie-security")));
    }

    [TestCase("debian:\n  suites: [sid]\n  suite: bookworm\n", 3, "debian.suite: give either debian.suites (a list) or debian.suite (with updates, security), not both")]
    [TestCase("debian:\n  updates: false\n  suites: [sid]\n", 2, "debian.updates: give either debian.suites")]
    [TestCase("debian:\n  suites: [sid, sid]\n", 2, "debian.suites: sid is listed twice")]
    [TestCase("debian:\n  suites: []\n", 2, "debian.suites: the list is empty")]
    [TestCase("debian:\n  snapshot: ftp://x/\n", 2, "debian.snapshot: 'ftp://x/' is not an http(s) URL")]
    public void A_bad_suite_list_is_an_error_naming_the_line(string yaml, int line, string message)
    {
        var ex = Assert.Throws<UserException>(() => PipelineConfigLoader.Parse(yaml, "qus.yml"));

        Assert.That(ex!.Message, Does.StartWith($"qus.yml:{line}: ").And.Contain(message));
    }

    [Test]
    public void Debian_versions_split_into_qemu_version_and_revision()
    {
        var version = new QemuVersion(PackageOrigin.Debian, "1:7.2+dfsg-7+deb12u18+b3", null);

        Assert.That(version.Upstream, Is.EqualTo("7.2"));
        Assert.That(version.PackageRelease, Is.EqualTo("7+deb12u18+b3"));
    }

    [TestCase("v{tagVersion}", "7.2", "1:7.2+dfsg-7+deb12u18+b3", "7.2-7-deb12u18-b3", "v7.2-7-deb12u18-b3")]
    [TestCase("v{version}-{release}", "7.2", "1:7.2+dfsg-7+deb12u18+b3", "7.2-7-deb12u18-b3", "v7.2-7+deb12u18+b3")]
    [TestCase("v{tagVersion}", "7.2.0", "7.2.0-1.fc38", "7.2.0-1", "v7.2.0-1")]
    [TestCase("v{version}-{release}", "7.2.0", "7.2.0-1.fc38", "7.2.0-1", "v7.2.0-1.fc38")]
    public void Release_tags_come_from_the_release_manifest(string template, string qemu, string package, string tagVersion, string expected) =>
        Assert.That(new ReleaseTagTemplate(template).Render(Manifest(qemu, package, tagVersion)), Is.EqualTo(expected));

    [Test]
    public void The_default_release_tag_is_v_and_the_image_tag_version() =>
        Assert.That(ReleaseTagTemplate.Default.Render(Manifest("7.2.0", "7.2.0-1.fc38", "7.2.0-1")), Is.EqualTo("v7.2.0-1"));

    private static QemuUserStatic.Manifests.ReleaseManifest Manifest(string qemu, string package, string tagVersion) => new()
    {
        QemuVersion = qemu, PackageVersion = package, TagVersion = tagVersion, FromArch = "x86_64", SourceDateEpoch = 0,
        Sources = [], Targets = [],
    };

    [TestCase("source: debian\nhostz: [x86_64]\n", 2, "unknown key 'hostz'")]
    [TestCase("source: debian\ndebian:\n  suite: bookworm\n  mirrror: http://x/\n", 4, "unknown key 'debian.mirrror'")]
    [TestCase("source: debian\nsource: fedora\n", 2, "uplicate key")]
    [TestCase("source: gentoo\n", 1, "'gentoo' is not a source")]
    [TestCase("debian:\n  mirror: ftp://deb.debian.org/debian\n", 2, "debian.mirror: 'ftp://deb.debian.org/debian' is not an http(s) URL")]
    [TestCase("debian:\n  updates: maybe\n", 2, "debian.updates: 'maybe' is not true or false")]
    [TestCase("hosts:\n  - x86_64\n  - sparc99\n", 3, "unknown host architecture 'sparc99'")]
    [TestCase("targets: [aarch64, vax]\n", 1, "unknown target 'vax'")]
    [TestCase("hosts: [x86_64, s390x, hppa]\n", 1, "debian builds no qemu-user-static for host hppa")]
    [TestCase("source: debian\nqemu:\n  version: 1:7.2+dfsg\n  release: 7\n", 4, "no separate release")]
    [TestCase("source: fedora\nqemu:\n  version: 7.2.0\n", 3, "needs a release")]
    [TestCase("github:\n  tag: v{version}-{build}\n", 2, "unknown placeholder {build}")]
    [TestCase("github:\n  repository: not a repo\n", 2, "github.repository: 'not a repo' is not OWNER/NAME")]
    [TestCase("image:\n  repository: Docker.io/UPPER\n", 2, "is not a lower-case image repository")]
    [TestCase("hosts: [x86_64\n", 2, "")]
    public void Bad_input_names_the_file_and_line(string yaml, int line, string problem)
    {
        var ex = Assert.Throws<UserException>(() => PipelineConfigLoader.Parse(yaml, "/repo/qus.yml"));

        Assert.That(ex!.Message, Does.StartWith($"/repo/qus.yml:{line}: "));
        Assert.That(ex.Message, Does.Contain(problem));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [TestCase("keys/archive.gpg", "/repo/keys/archive.gpg")]
    [TestCase("/etc/apt/keyrings/mirror.gpg", "/etc/apt/keyrings/mirror.gpg")]
    public void The_debian_keyring_is_taken_from_the_configuration_file_folder_when_relative(string written, string expected)
    {
        var config = PipelineConfigLoader.Parse($"debian:\n  keyring: {written}\n", "/repo/qus.yml");

        Assert.That(config.Debian.Keyring, Is.EqualTo(expected));
        Assert.That(PipelineConfigLoader.Parse("# nothing\n", "/repo/qus.yml").Debian.Keyring, Is.EqualTo("/usr/share/keyrings/debian-archive-keyring.gpg"));
    }

    [Test]
    public void An_empty_file_or_null_values_give_the_built_in_defaults()
    {
        var empty = PipelineConfigLoader.Parse("# nothing\n", "qus.yml");
        var nulls = PipelineConfigLoader.Parse("source:\nhosts: ~\ndebian:\n  security: null\n", "qus.yml");

        foreach (var config in new[] { empty, nulls })
        {
            Assert.That(config.Origin, Is.EqualTo(PackageOrigin.Debian));
            Assert.That(config.Hosts, Is.EqualTo(PipelineConfig.Default.Hosts));
            Assert.That(config.Qemu, Is.Null);
            Assert.That(config.Debian.Security, Is.Null);
            Assert.That(config.Koji.Hub, Is.EqualTo(KojiRepositoryConfig.DefaultHub));
        }
    }

    [Test]
    public void Discovery_prefers_the_option_then_the_environment_then_the_nearest_file_upward()
    {
        using var temp = new TempDir();
        var nested = Directory.CreateDirectory(temp["a/b/c"]).FullName;
        File.WriteAllText(temp["a/qus.yml"], "source: debian\n");
        File.WriteAllText(temp["other.yml"], "source: fedora\n");

        Assert.That(PipelineConfigLoader.Discover(null, null, nested), Is.EqualTo(temp["a/qus.yml"]));
        Assert.That(PipelineConfigLoader.Discover(null, temp["other.yml"], nested), Is.EqualTo(temp["other.yml"]));
        Assert.That(PipelineConfigLoader.Discover(temp["other.yml"], temp["a/qus.yml"], nested), Is.EqualTo(temp["other.yml"]));
        Assert.That(PipelineConfigLoader.Discover(null, null, temp.Path), Is.Null.Or.Not.StartWith(temp.Path), "nothing at or above the temp folder's own level");
        var missing = Assert.Throws<UserException>(() => PipelineConfigLoader.Discover(temp["nope.yml"], null, nested));
        Assert.That(missing!.Message, Does.Contain("nope.yml").And.Contain("--config"));
        var missingEnv = Assert.Throws<UserException>(() => PipelineConfigLoader.Discover(null, temp["nope.yml"], nested));
        Assert.That(missingEnv!.Message, Does.Contain("$QUS_CONFIG"));
    }

    [Test]
    public void Options_override_the_file_and_are_checked_like_it()
    {
        var config = PipelineConfigLoader.Parse("source: fedora\nqemu: {version: 7.2.0, release: 1.fc38}\nhosts: [x86_64]\n", "qus.yml");

        var request = FetchRequest.From(config, version: "8.0.0", release: "2.fc39", hosts: ["arm64", "x86_64"],
            kojiHub: new Uri("http://127.0.0.1:1/kojihub"), kojiTopUrl: new Uri("http://127.0.0.1:1/"));
        Assert.That(request.Version!.Full, Is.EqualTo("8.0.0-2.fc39"));
        Assert.That(request.Hosts, Is.EqualTo(new[] { "aarch64", "x86_64" }));
        Assert.That(request.Koji.Hub.AbsoluteUri, Is.EqualTo("http://127.0.0.1:1/kojihub"));

        Assert.That(FetchRequest.From(config, release: "3.fc38").Version!.Full, Is.EqualTo("7.2.0-3.fc38"));
        var debian = FetchRequest.From(config, source: "debian", version: "1:7.2+dfsg-7", mirror: new Uri("http://127.0.0.1:1/debian/"));
        Assert.That((debian.Origin, debian.Version!.Full, debian.Debian.Mirror.AbsoluteUri), Is.EqualTo((PackageOrigin.Debian, "1:7.2+dfsg-7", "http://127.0.0.1:1/debian/")));

        Assert.That(Assert.Throws<UserException>(() => FetchRequest.From(config, hosts: ["pdp11"]))!.Message, Does.Contain("--host-arch").And.Contain("pdp11"));
        Assert.That(Assert.Throws<UserException>(() => FetchRequest.From(config, source: "debian"))!.Message, Does.Contain("--qemu-version"));
        Assert.That(Assert.Throws<UserException>(() => FetchRequest.From(config, source: "arch"))!.Message, Does.Contain("--source"));
        Assert.That(Assert.Throws<UserException>(() => FetchRequest.From(config, version: "8.0.0"))!.Message, Does.Contain("--qemu-version").And.Contain("release"));
    }

    [Test]
    public void The_tool_reports_a_bad_configuration_in_one_line_with_file_and_line()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: debian\nqemu:\n  version: 1:7.2+dfsg-7\n  flavour: static\n");

        var result = ToolProcess.RunTool("Qus.Fetch", ["--output", temp["out"], "--cache", temp["cache"]], workingDirectory: temp.Path);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StandardError.Trim(), Is.EqualTo($"qus-fetch: error: {temp["qus.yml"]}:4: unknown key 'qemu.flavour' (known in qemu: version, release)"));
        Assert.That(Directory.Exists(temp["out"]), Is.False);
    }
}
