using System.Xml.Linq;
using QemuUserStatic.Guests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>
/// qus-test --build-guests and --guests as a real process: every guest of the Debian guest set (the tests' own, which
/// --build-guests finds in their cache) through binfmt_misc with the x86_64 release and, nested under this machine's
/// qemu-aarch64-static, the aarch64 release (its x86_64 emulator started as the program: this machine's own family
/// cannot go through binfmt_misc); and a swapped emulator caught.
/// </summary>
[NonParallelizable]
public sealed class GuestMatrixToolTests
{
    private readonly TempDir work = new("qus-guests-tests");
    private string layout = "";

    [OneTimeSetUp]
    public void BuildLayout()
    {
        var x86 = TarballsFolder.For("x86_64", "aarch64", "alpha", "arm", "mips", "mips64el", "ppc64le", "riscv64", "s390x", "sh4", "xtensa");
        // Not arm: aarch64's 32-bit emulators cannot reserve their 4 GiB guest space inside qemu-aarch64's (QEMU 7.2).
        var arm64 = ImageLayouts.Arm64Input;
        layout = Build(work["layout"], "--input", x86, "--input", arm64);
        _ = GuestPrograms.Path;
    }

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [Test]
    public void EveryGuestRunsWithBothHostsReleasesInTheSandboxAndReportsPerHost()
    {
        var junit = work["guests.xml"];
        var summary = work["summary.md"];

        var result = ToolProcess.RunTool(
            "Qus.Test", ["--layout", layout, "--build-guests", PackageFixtures.CacheRoot, "--guest-hosts", "x86_64,aarch64", "--engine", "sandbox", "--junit", junit],
            new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary }, timeout: TimeSpan.FromMinutes(10));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.Multiple(() =>
        {
            // alpha and sh4: the hello without C start-up.
            foreach (var target in new[] { "aarch64", "alpha", "arm", "mips", "mips64el", "ppc64le", "riscv64", "s390x", "sh4" })
            {
                Assert.That(result.StandardOutput, Does.Match($"(?m)^PASS +x86_64 +{target} "), target);
            }

            Assert.That(result.StandardOutput, Does.Match("(?m)^no guest +x86_64 +xtensa "));
            Assert.That(result.StandardOutput, Does.Match("(?m)^PASS +aarch64 +riscv64 "), "aarch64's qemu-riscv64-static under qemu-aarch64-static");
            Assert.That(result.StandardOutput, Does.Match("(?m)^PASS +aarch64 +x86_64 "), "aarch64's qemu-x86_64-static started as the program, under qemu-aarch64-static");
            Assert.That(result.StandardError, Does.Contain($"guest set: {GuestPrograms.Path} ({GuestTable.All.Count} guests, cached)"), "the tests' set, as --build-guests finds it");
            Assert.That(result.StandardError, Does.Contain("-- /qus-host-emulators/qemu-x86_64-static /busybox-qus-guest-x86_64 uname -m"));
            Assert.That(result.StandardOutput, Does.Contain("guests on sandbox, 2 hosts (x86_64, aarch64) on this x86_64 machine: 11 passed, 0 failed, 1 no guest, 0 native here"));
            Assert.That(result.StandardError, Does.Contain("--qemu-path /qus-host-emulators riscv64"), "the aarch64 release registered by the same script");
            Assert.That(File.ReadAllText(summary), Does.Contain("| target | x86_64 | aarch64 |").And.Contain("| riscv64 | PASS | PASS |").And.Contain("| xtensa | no guest | - |"));
        });
        var suites = XDocument.Load(junit).Root!.Elements("testsuite").ToList();
        Assert.That(suites.Select(s => (string)s.Attribute("name")!), Is.EqualTo(new[] { "x86_64", "aarch64" }));
        Assert.That(suites[0].Elements("testcase").Select(c => (string)c.Attribute("name")!),
            Is.EqualTo(new[] { "aarch64", "alpha", "arm", "mips", "mips64el", "ppc64le", "riscv64", "s390x", "sh4", "xtensa" }));
        Assert.That((int)suites[1].Attribute("skipped")!, Is.Zero);
    }

    [Test]
    public void ARegistryThatDoesNotAnswerIsOneLineNamingTheHostAndTheImage()
    {
        var guests = work["one-guest"];
        Directory.CreateDirectory(guests);
        File.Copy(Path.Combine(GuestPrograms.Path, "aarch64"), Path.Combine(guests, "aarch64"));

        // Port 1 on loopback: nothing listens, the pull is refused at once.
        var result = ToolProcess.RunTool(
            "Qus.Test", ["--repository", "127.0.0.1:1/nothing", "--src-tls-verify=false", "--guests", guests, "--engine", "sandbox"],
            timeout: TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError, Does.Not.Contain("   at "), result.ToString());
            Assert.That(result.StandardError.Trim().Split('\n').Last(), Does.StartWith("qus-test: error: guests with the x86_64 release's emulators: ")
                .And.Contain("127.0.0.1:1/nothing:latest could not be pulled"));
        });
    }

    [Test]
    public void ASwappedEmulatorFailsNamingTheTargetAndTheHostOnBothEngines()
    {
        // qemu-riscv64-static is really qemu-ppc64le-static: an x86_64 program, so qus-tarballs takes it; only running tells.
        var emulators = TarballsFolder.RealEmulators("riscv64", "ppc64le");
        emulators["riscv64"] = emulators["ppc64le"];
        var input = work["swapped-input"];
        TarballsFolder.Write(input, emulators);
        var swapped = Build(work["swapped-layout"], "--input", input);
        var before = MachineBinfmt.Snapshot();
        string[] arguments = ["--layout", swapped, "--guests", GuestPrograms.Path];

        var sandbox = ToolProcess.RunTool("Qus.Test", [.. arguments, "--engine", "sandbox"], timeout: TimeSpan.FromMinutes(5));
        var docker = ToolProcess.RunTool("Qus.Test", arguments, timeout: TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            foreach (var (engine, result) in new[] { ("sandbox", sandbox), ("docker", docker) })
            {
                Assert.That(result.ExitCode, Is.EqualTo(1), $"{engine}:\n{result}");
                Assert.That(result.StandardOutput, Does.Match("(?m)^PASS +x86_64 +ppc64le "), engine);
                Assert.That(result.StandardOutput, Does.Match("(?m)^FAIL +x86_64 +riscv64 ").And.Contain("riscv64 on x86_64: the busybox guest"), engine);
                Assert.That(result.StandardOutput, Does.Contain("1 passed, 1 failed, 0 no guest, 0 native here"), engine);
            }

            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the docker run");
        });
    }

    private static string Build(string output, params string[] inputs)
    {
        var result = ImageLayouts.Build(output, [.. inputs, "--base", BusyboxBase.Reference]);
        return result.ExitCode == 0 ? output : throw new InvalidOperationException("qus-images failed:\n" + result);
    }
}
