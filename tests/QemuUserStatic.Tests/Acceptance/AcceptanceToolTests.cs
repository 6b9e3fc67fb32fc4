using System.Diagnostics;
using System.Xml.Linq;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>
/// qus-test as a real process: every case on the real dockerd (from a qus-images layout, then from a real local
/// registry after qus-push), in the daemonless sandbox, on purpose against a broken emulator, and interrupted. The
/// docker runs change the machine's own binfmt_misc: each test checks it is exactly as before afterwards, so these
/// tests run one at a time.
/// </summary>
[NonParallelizable]
public sealed class AcceptanceToolTests
{
    private const string Targets = "aarch64,riscv64";
    private readonly TempDir work = new("qus-test-tests");
    private string layout = "";
    private string brokenLayout = "";

    [OneTimeSetUp]
    public void BuildLayouts()
    {
        layout = BuildLayout(TarballsFolder.For("x86_64", "aarch64", "riscv64"), "layout");

        // The same release, but its aarch64 emulator damaged past its headers (zeroed from 64 KiB on: the ELF check
        // qus-tarballs makes still passes, and the manifest records it): qus-images builds it, and only running it can tell.
        var broken = work["broken-input"];
        var emulators = TarballsFolder.RealEmulators("aarch64", "riscv64");
        Array.Clear(emulators["aarch64"], 65536, emulators["aarch64"].Length - 65536);
        TarballsFolder.Write(broken, emulators);
        brokenLayout = BuildLayout(broken, "broken-layout");
        _ = GuestImage.Layout;
    }

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [Test]
    public void EveryCasePassesOnDockerFromALayoutAndTheTableIsPutBackExactly()
    {
        // What a machine may have before: Debian-style qemu entries (which --reset removes) and another format.
        const string previous = ":qemu-riscv64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00:" +
                                "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/libexec/qus-previous/riscv64:";
        MachineBinfmt.Register(previous);
        MachineBinfmt.Register(":qus-test-marker:E::qustestmarker::/bin/true:");
        try
        {
            var before = MachineBinfmt.Snapshot();
            var junit = work["docker.xml"];
            var summary = work["summary.md"];
            var result = QusTest(["--layout", layout, "--junit", junit], new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary });

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            AssertAllPassed(result, notApplicable: []);
            Assert.Multiple(() =>
            {
                Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the run");
                Assert.That(result.StandardError, Does.Contain("binfmt_misc: removing qemu-aarch64, qemu-riscv64; registering again qemu-riscv64"));
                // It says how the registering containers ran: --privileged, or the fallback where the engine refuses it.
                Assert.That(EngineLine(result), PrivilegedRefused
                    ? Does.Contain("registering with --cap-add SYS_ADMIN --security-opt systempaths=unconfined (the engine refused --privileged: ").And.Contain("unable to apply caps")
                    : Does.Contain("registering with --privileged").And.Not.Contain("refused"));
                Assert.That(File.ReadAllText(summary), Does.Contain("| 7 | latest --reset -p yes -c yes").And.Contain("| PASS |").And.Contain("7 passed, 0 failed"));
                Assert.That(ToolProcess.ShellOrThrow("docker images --format '{{.Repository}}'"), Does.Not.Contain("qus-test-"), "loaded and built images are removed");
            });
            AssertJUnit(junit, tests: 7, failures: 0, skipped: 0);
        }
        finally
        {
            MachineBinfmt.Remove("qemu-riscv64");
            MachineBinfmt.Remove("qus-test-marker");
        }
    }

    [Test]
    public void ASubsetsLatestRegistersTheEmulatorsItCarriesWithPYesOnBothEngines()
    {
        // The layout carries aarch64 and riscv64 only, and /register is told no target, as users run it: -p yes must
        // register exactly what the image carries instead of asking for the table's other interpreters.
        var before = MachineBinfmt.Snapshot();
        string[] arguments = ["--layout", layout, "--cases", "1,2", "--guest-image", GuestImage.Reference];

        var sandbox = ToolProcess.RunTool("Qus.Test", [.. arguments, "--engine", "sandbox"], timeout: TimeSpan.FromMinutes(5));
        var docker = ToolProcess.RunTool("Qus.Test", arguments, timeout: TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            foreach (var (engine, result) in new[] { ("sandbox", sandbox), ("docker", docker) })
            {
                Assert.That(result.ExitCode, Is.Zero, $"{engine}:\n{result}");
                Assert.That(result.StandardOutput, Does.Contain("PASS  1  latest --reset -p yes registers qemu-aarch64 with flags: F").And.Contain("PASS  2  "), engine);
                Assert.That(result.StandardError, Does.Contain(" --reset -p yes\n"), $"{engine}: no target given");
                Assert.That(result.StandardError, Does.Contain("qemu-aarch64: registered, interpreter /usr/bin/qemu-aarch64-static, flags F")
                    .And.Contain("qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags F"), engine);
                Assert.That(result.StandardError, Does.Not.Contain("are missing").And.Not.Contain("qemu-alpha: registered"), engine);
            }

            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the runs");
        });
    }

    [Test]
    public void TheRegisteringContainersOptionsCanBeChosenAndAreThenNotReplaced()
    {
        var before = MachineBinfmt.Snapshot();

        var fallback = QusTest(["--layout", layout, "--cases", "1", "--docker-run-args", "--cap-add SYS_ADMIN --security-opt systempaths=unconfined"]);
        var privileged = QusTest(["--layout", layout, "--cases", "1", "--docker-run-args", "--privileged"]);

        Assert.Multiple(() =>
        {
            Assert.That(fallback.ExitCode, Is.Zero, fallback.ToString());
            Assert.That(EngineLine(fallback), Does.Contain("registering with --cap-add SYS_ADMIN --security-opt systempaths=unconfined").And.Not.Contain("refused"));
            Assert.That(privileged.ExitCode, Is.EqualTo(PrivilegedRefused ? 1 : 0), privileged.ToString());
            Assert.That(privileged.StandardOutput, PrivilegedRefused ? Does.Contain("FAIL  1").And.Contain("unable to apply caps") : Does.Contain("PASS  1"));
            Assert.That(privileged.StandardError, Does.Not.Contain("instead"), "chosen options are never replaced");
            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the runs");
        });
    }

    [Test]
    public void EveryCasePassesFromARegistryAfterAPushOnDockerAndInTheSandbox()
    {
        using var registry = LocalRegistry.Open();
        var push = ToolProcess.RunTool("Qus.Push", ["--layout", layout, "--to", $"{registry.Address}/qus", "--dest-tls-verify=false"]);
        Assert.That(push.ExitCode, Is.Zero, push.ToString());
        ToolProcess.ShellOrThrow($"skopeo copy -q --dest-tls-verify=false '{GuestImage.Reference}' 'docker://{registry.Address}/guest:latest'");
        string[] fromRegistry = ["--repository", $"{registry.Address}/qus", "--src-tls-verify=false"];
        var guest = $"{registry.Address}/guest:latest";
        var before = MachineBinfmt.Snapshot();

        var docker = QusTest(fromRegistry, guest: guest);
        var sandbox = QusTest([.. fromRegistry, "--engine", "sandbox"], guest: guest);

        Assert.That(docker.ExitCode, Is.Zero, docker.ToString());
        AssertAllPassed(docker, notApplicable: []);
        Assert.That(sandbox.ExitCode, Is.Zero, sandbox.ToString());
        AssertAllPassed(sandbox, notApplicable: [3, 6]);
        Assert.Multiple(() =>
        {
            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the runs");
            Assert.That(docker.StandardError, Does.Contain($"resolving {registry.Address}/qus:x86_64-aarch64"), "docker's images came from the registry");
            Assert.That(sandbox.StandardError, Does.Contain($"resolving {registry.Address}/qus:x86_64-aarch64"), "the sandbox's images came from the registry");
            Assert.That(registry.Log, Does.Contain("GET /v2/guest/manifests/latest"));
        });
    }

    [Test]
    public void TheSandboxRunsWithoutADaemonAndSaysTheBuildsDoNotApply()
    {
        var before = MachineBinfmt.Snapshot();
        var junit = work["sandbox.xml"];

        var result = QusTest(["--layout", layout, "--engine", "sandbox", "--junit", junit]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        AssertAllPassed(result, notApplicable: [3, 6]);
        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutput, Does.Contain("the sandbox engine does not build images"));
            Assert.That(result.StandardError, Does.Contain("unshare --root").And.Contain("/register --reset -p yes -c yes aarch64 riscv64"));
            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "the machine's table is never touched");
        });
        AssertJUnit(junit, tests: 7, failures: 0, skipped: 2);
    }

    [Test]
    public void JsonPrintsEveryCaseOutcomeAsOneObjectAndKeepsTheExitCode()
    {
        var junit = work["json.xml"];

        var result = QusTest(["--layout", brokenLayout, "--cases", "2,3", "--engine", "sandbox", "--junit", junit, "--json"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        var json = StepJson.Parse(result);
        var cases = json["cases"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(cases.Select(c => (c!["name"]!.GetValue<string>()[..2], c["result"]!.GetValue<string>())), Is.EqualTo(new[] { ("2 ", "FAIL"), ("3 ", "N/A") }));
            Assert.That(cases[0]!["reason"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(json["succeeded"]!.GetValue<bool>(), Is.False);
            Assert.That(json["junit"]!.GetValue<string>(), Is.EqualTo(junit));
            Assert.That(json["line"]!.GetValue<string>(), Does.Contain("2 cases on sandbox (aarch64 on x86_64): 0 passed, 1 failed, 1 not applicable"));
            Assert.That(json.ContainsKey("guests"), Is.False);
            Assert.That(result.StandardError, Does.Contain("FAIL  2").And.Contain("N/A   3"), "the lines stdout has otherwise");
        });
        AssertJUnit(junit, tests: 2, failures: 1, skipped: 1);
    }

    [Test]
    public void TheSandboxNeedsNoPrivilegeAndSaysWhatItCannotDoWithoutOne()
    {
        // nobody: no capability, no subordinate ids; it can read copies of the layouts and owns a home.
        using var shared = new TempDir("qus-test-nobody");
        var home = shared["home"];
        ToolProcess.ShellOrThrow(
            $"cp -r '{layout}' '{shared["qus"]}' && cp -r '{GuestImage.Layout}' '{shared["guest"]}' && mkdir '{home}' && " +
            $"chmod -R a+rX '{shared.Path}' && chown nobody '{home}'");

        var result = ToolProcess.Run("setpriv",
        [
            "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", $"HOME={home}", $"DOTNET_CLI_HOME={home}", $"TMPDIR={home}",
            "dotnet", "exec", Repo.ToolDll("Qus.Test"), "--engine", "sandbox", "--layout", shared["qus"], .. CommonArguments($"oci:{shared["guest"]}:{GuestImage.Tag}"),
        ]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.Multiple(() =>
        {
            foreach (var number in new[] { 1, 2, 4, 5 })
            {
                Assert.That(result.StandardOutput, Does.Contain($"PASS  {number}  "));
            }

            Assert.That(result.StandardOutput, Does.Contain("N/A   7").And.Contain("the sandbox maps only root"));
            Assert.That(result.StandardOutput, Does.Contain("4 passed, 0 failed, 3 not applicable"));
            Assert.That(Directory.EnumerateFileSystemEntries(home), Is.Empty, "its work folder is gone");
        });
    }

    [Test]
    public void ABrokenEmulatorFailsTheRunAndNamesTheCasesOnBothEngines()
    {
        var before = MachineBinfmt.Snapshot();
        var junit = work["broken.xml"];

        var docker = QusTest(["--layout", brokenLayout, "--cases", "1,2,5", "--junit", junit]);
        var sandbox = QusTest(["--layout", brokenLayout, "--cases", "2-5", "--engine", "sandbox"]);

        Assert.Multiple(() =>
        {
            Assert.That(docker.ExitCode, Is.EqualTo(1), docker.ToString());
            Assert.That(docker.StandardOutput, Does.Contain("PASS  1  latest --reset -p yes registers qemu-aarch64 with flags: F"), "flag F only opens the file");
            Assert.That(docker.StandardOutput, Does.Contain("FAIL  2  the guest runs: uname -m prints aarch64"));
            Assert.That(docker.StandardOutput, Does.Contain("FAIL  5  aarch64 and x86_64-aarch64 hold /usr/bin/qemu-aarch64-static, --version runs"));
            Assert.That(docker.StandardOutput, Does.Contain("3 cases on docker (aarch64 on x86_64): 1 passed, 2 failed, 0 not applicable"));
            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the failed run");

            Assert.That(sandbox.ExitCode, Is.EqualTo(1), sandbox.ToString());
            Assert.That(sandbox.StandardOutput, Does.Contain("FAIL  2").And.Contain("FAIL  4").And.Contain("FAIL  5").And.Contain("N/A   3"));
            Assert.That(sandbox.StandardOutput, Does.Contain("4 cases on sandbox (aarch64 on x86_64): 0 passed, 3 failed, 1 not applicable"));
        });
        var suite = AssertJUnit(junit, tests: 3, failures: 2, skipped: 0);
        var failed = suite.Elements("testcase").Where(c => c.Element("failure") is not null).Select(c => (string)c.Attribute("name")!).ToList();
        Assert.That(failed, Is.EqualTo(new[] { "2 the guest runs: uname -m prints aarch64", "5 aarch64 and x86_64-aarch64 hold /usr/bin/qemu-aarch64-static, --version runs" }));
    }

    [Test]
    public void CtrlCStopsTheRunAndStillPutsTheTableBack()
    {
        var before = MachineBinfmt.Snapshot();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = ["exec", Repo.ToolDll("Qus.Test"), "--layout", layout, .. CommonArguments()];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var first = process.StandardOutput.ReadLine();
        var registered = MachineBinfmt.Snapshot().ContainsKey("qemu-aarch64");
        ToolProcess.Run("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var rest = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "qus-test ends after Ctrl-C");

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.StartWith("PASS  1"));
            Assert.That(registered, Is.True, "case 1 had registered in the machine's table");
            Assert.That(process.ExitCode, Is.EqualTo(130), rest + errors.Result);
            Assert.That(rest, Does.Not.Contain("PASS  7"));
            Assert.That(errors.Result, Does.Contain("== restoring binfmt_misc").And.Contain("qus-test: error: interrupted"));
            Assert.That(MachineBinfmt.Snapshot(), Is.EqualTo(before), "binfmt_misc after the interrupted run");
        });
    }

    // Whether this engine refuses --privileged (this kind of machine does: its bounding set lacks CAP_SYS_RESOURCE),
    // asked of a container of an empty image: the refusal comes before the missing program is looked for.
    private static bool PrivilegedRefused => PrivilegedProbe.Value;

    private static readonly Lazy<bool> PrivilegedProbe = new(() =>
    {
        ToolProcess.ShellOrThrow("tar cf - -T /dev/null | docker import - qus-test-probe:empty >/dev/null");
        var run = ToolProcess.Shell("docker run --rm --network none --privileged qus-test-probe:empty /nothing");
        ToolProcess.Shell("docker rmi qus-test-probe:empty");
        return run.StandardError.Contains("unable to apply caps", StringComparison.Ordinal);
    });

    // The last "engine:" line: how the engine ended up running the registering containers.
    private static string EngineLine(ProcessResult result) =>
        result.StandardError.Split('\n').Last(l => l.StartsWith("engine: ", StringComparison.Ordinal));

    // The guest, what /register registers (the layouts hold two emulators), and case 7's program printing its euid.
    private static string[] CommonArguments(string? guest = null) =>
        ["--guest-image", guest ?? GuestImage.Reference, "--register-targets", Targets, "--setuid-witness", GuestImage.Witness];

    private static ProcessResult QusTest(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? guest = null) =>
        ToolProcess.RunTool("Qus.Test", [.. args, .. CommonArguments(guest)], environment, timeout: TimeSpan.FromMinutes(5));

    private static void AssertAllPassed(ProcessResult result, int[] notApplicable)
    {
        var lines = result.StandardOutput.Split('\n');
        Assert.Multiple(() =>
        {
            for (var number = 1; number <= 7; number++)
            {
                var label = notApplicable.Contains(number) ? "N/A " : "PASS";
                Assert.That(lines.Count(l => l.StartsWith($"{label}  {number}  ", StringComparison.Ordinal)), Is.EqualTo(1), $"case {number}:\n{result}");
            }

            Assert.That(result.StandardOutput, Does.Contain($"{7 - notApplicable.Length} passed, 0 failed, {notApplicable.Length} not applicable"));
        });
    }

    private static XElement AssertJUnit(string path, int tests, int failures, int skipped)
    {
        var document = XDocument.Load(path);
        var suite = document.Root!.Element("testsuite")!;
        Assert.Multiple(() =>
        {
            Assert.That(document.Root.Name.LocalName, Is.EqualTo("testsuites"));
            Assert.That((int)suite.Attribute("tests")!, Is.EqualTo(tests));
            Assert.That((int)suite.Attribute("failures")!, Is.EqualTo(failures));
            Assert.That((int)suite.Attribute("skipped")!, Is.EqualTo(skipped));
            Assert.That(suite.Elements("testcase").Count(), Is.EqualTo(tests));
            Assert.That(suite.Elements("testcase").Count(c => c.Element("failure") is not null), Is.EqualTo(failures));
            Assert.That(suite.Elements("testcase").Count(c => c.Element("skipped") is not null), Is.EqualTo(skipped));
            Assert.That(suite.Elements("testcase").All(c => c.Element("system-out") is not null), Is.True, "each case keeps its transcript");
        });
        return suite;
    }

    private string BuildLayout(string input, string name)
    {
        var output = work[name];
        var result = ImageLayouts.Build(output, ["--input", input, "--base", BusyboxBase.Reference]);
        return result.ExitCode == 0 ? output : throw new InvalidOperationException("qus-images failed:\n" + result);
    }
}
