using QemuUserStatic.Architectures;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// actions/register: valid by GitHub's schema, shellcheck-clean, inputs only through env, and its shell steps run for
/// real in a private binfmt_misc against a loopback stand-in of GitHub's release downloads serving a real release
/// folder (qus-publish --to-folder of real tarballs, with the native qus-register or without): the native tool and
/// only the emulators needed downloaded, each checked against SHA256SUMS, registered; a file that does not match
/// fails the step naming it and nothing is registered; no native tool (or from-source) builds the tool.
/// </summary>
public class RegisterActionTests
{
    private static readonly CompositeAction Action = new("register");

    [Test]
    public void Is_a_valid_action_whose_run_steps_pass_shellcheck_and_never_expand_expressions()
    {
        var validator = ToolProcess.Run("npx", ["--yes", "@action-validator/cli@0.6.0", Action.File], timeout: TimeSpan.FromMinutes(5));
        using var dir = new TempDir();
        var scripts = Action.RunScripts.Select(s =>
        {
            var path = dir[s.Id + ".sh"];
            File.WriteAllText(path, "#!/usr/bin/env bash\n" + s.Run);
            return path;
        }).ToList();
        var shellcheck = ToolProcess.Run("shellcheck", ["--severity=style", Repo.Under("actions", "install-tool.sh"), Path.Combine(Action.Folder, "fetch-verified.sh"), .. scripts]);
        Assert.Multiple(() =>
        {
            Assert.That(validator.ExitCode, Is.Zero, validator.ToString());
            Assert.That(shellcheck.ExitCode, Is.Zero, shellcheck.ToString());
            Assert.That(Action.RunScripts, Has.Count.EqualTo(4));
            Assert.That(Action.RunScripts.Select(s => s.Run), Has.None.Contains("${{"), "inputs reach the shell only as env vars");
        });
    }

    private const string Version = TarballsFolder.HostFolderTagVersion;
    private const string Tag = "v" + Version;

    private static readonly Lazy<string> NativeRelease = new(() => Release("with-native", "--native", NativeRegister.For("x64")));
    private static readonly Lazy<string> SourceRelease = new(() => Release("without-native"));

    [Test]
    public async Task Downloads_the_native_tool_and_the_needed_emulators_verifies_them_registers_and_says_the_platforms()
    {
        await using var server = await Serve(NativeRelease.Value);
        using var work = new TempDir("qus-action");
        var steps = RunAction(work, server,
            new Dictionary<string, string> { ["platforms"] = "linux/arm64, riscv64", ["version"] = Version, ["credential"] = "true" },
            out var runnerTemp);

        var release = Path.Combine(runnerTemp, "qus-release");
        Assert.Multiple(() =>
        {
            foreach (var (name, result) in steps)
            {
                Assert.That(result.ExitCode, Is.Zero, $"{name}: {result}");
            }

            Assert.That(server.Requests.Order(), Is.EqualTo(new[]
            {
                $"/download/{Tag}/SHA256SUMS", $"/download/{Tag}/qus-register-linux-x64",
                $"/download/{Tag}/x86_64_qemu-aarch64-static.tar.gz", $"/download/{Tag}/x86_64_qemu-riscv64-static.tar.gz",
            }.Order()), "SHA256SUMS, the native tool and each needed tarball, once each");
            Assert.That(CompositeAction.Outputs(work.Path, "tool")["path"], Is.EqualTo(Path.Combine(release, "qus-register-linux-x64")));
            Assert.That(steps["tool"].StandardError, Does.Not.Contain("install-tool.sh"), "no .NET build");
            Assert.That(CompositeAction.Outputs(work.Path, "register")["platforms"], Is.EqualTo("linux/386,linux/amd64,linux/arm64,linux/riscv64"));
            Assert.That(steps["entries"].StandardOutput, Does.Contain(
                $"== qemu-aarch64\nenabled\ninterpreter {release}/emulators/qemu-aarch64-static\nflags: OCF\n"));
            Assert.That(steps["entries"].StandardOutput, Does.Contain("== qemu-riscv64\n"));
            Assert.That(steps["run"].StandardOutput, Is.EqualTo("aarch64\n"));
            Assert.That(File.ReadAllText(work["summary.md"]), Does.Contain($"| qemu-aarch64 | OCF | {release}/emulators/qemu-aarch64-static | linux/arm64 |"));
        });
    }

    [TestCase("tampered tarball", "x86_64_qemu-aarch64-static.tar.gz: sha256 ")]
    [TestCase("tampered SHA256SUMS", "x86_64_qemu-riscv64-static.tar.gz: sha256 ")]
    [TestCase("missing file", "x86_64_qemu-riscv64-static.tar.gz: cannot download")]
    [TestCase("tampered native tool", "qus-register-linux-x64: sha256 ")]
    public async Task A_download_that_does_not_match_SHA256SUMS_fails_the_step_naming_it_and_nothing_is_registered(string what, string error)
    {
        await using var server = await Serve(NativeRelease.Value, what);
        using var work = new TempDir("qus-action");

        var steps = RunAction(work, server, new Dictionary<string, string> { ["platforms"] = "arm64,riscv64", ["version"] = Version }, out _);

        var failing = what == "tampered native tool" ? "download" : "emulators";
        Assert.Multiple(() =>
        {
            Assert.That(steps[failing].ExitCode, Is.EqualTo(1), steps[failing].ToString());
            Assert.That(steps[failing].StandardOutput, Does.Contain("::error::" + error));
            Assert.That(steps["register"].ExitCode, Is.EqualTo(NotRun), "the register step never runs");
            Assert.That(steps["entries"].StandardOutput, Is.Empty, "nothing is registered");
        });
    }

    [TestCase("no native tool")]
    [TestCase("from-source")]
    public async Task Without_a_native_tool_for_the_runner_or_with_from_source_the_tool_is_built_from_this_checkout(string why)
    {
        await using var server = await Serve(why == "from-source" ? NativeRelease.Value : SourceRelease.Value);
        using var work = new TempDir("qus-action");
        var inputs = new Dictionary<string, string> { ["targets"] = "s390x", ["version"] = Version, ["emulators"] = "/usr/bin", ["persistent"] = "false", ["reset"] = "true" };
        if (why == "from-source")
        {
            inputs["from-source"] = "true";
        }

        var steps = RunAction(work, server, inputs, out _);

        Assert.Multiple(() =>
        {
            foreach (var (name, result) in steps.Where(s => s.Key != "run"))
            {
                Assert.That(result.ExitCode, Is.Zero, $"{name}: {result}");
            }

            Assert.That(steps["download"].StandardOutput, Does.Contain(why == "from-source" ? "built from source (from-source: true)" : "built from source (the release has no native tool for x86_64)"));
            Assert.That(server.Requests, Is.EqualTo(new[] { $"/download/{Tag}/SHA256SUMS" }), "the emulators come from the folder");
            Assert.That(CompositeAction.Outputs(work.Path, "tool")["path"], Does.EndWith("/bin/qus-register").And.Contain("/qus-tools/Qus.Register-"));
            Assert.That(File.ReadAllLines(work["path"]).Distinct().Single(), Is.EqualTo(Path.GetDirectoryName(CompositeAction.Outputs(work.Path, "tool")["path"])));
            Assert.That(CompositeAction.Outputs(work.Path, "register")["platforms"], Is.EqualTo("linux/386,linux/amd64,linux/s390x"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo(
                "== qemu-s390x\nenabled\ninterpreter /usr/bin/qemu-s390x-static\nflags: \noffset 0\n" +
                $"magic {Convert.ToHexStringLower(ArchitectureTable.Get("s390x").Magic)}\n" +
                $"mask {Convert.ToHexStringLower(ArchitectureTable.Get("s390x").Mask)}\n"));
        });
    }

    private const int NotRun = 99;

    // The action's steps as the runner runs them, in one private binfmt_misc: a failing step stops the rest (they say
    // NotRun), then the table is listed and an arm64 busybox run. A fresh RUNNER_TEMP unless the tool is built from
    // source (the shared one keeps install-tool.sh's pack for the whole test run).
    private static IReadOnlyDictionary<string, ProcessResult> RunAction(
        TempDir work, ReleaseServer server, Dictionary<string, string> inputs, out string runnerTemp)
    {
        var environment = ActionEnvironment.For(work);
        if (!inputs.ContainsKey("emulators"))
        {
            environment["RUNNER_TEMP"] = Directory.CreateDirectory(work["runner-temp"]).FullName;
        }

        runnerTemp = environment["RUNNER_TEMP"];
        environment["QUS_RELEASES_URL"] = server.BaseAddress;
        var failed = Quote(work["failed"]);
        var busybox = Quote(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"));
        return RunSteps(
        [
            .. Action.ShellSteps(work.Path, inputs, environment).Select(s =>
                (s.Name, $"if [ -e {failed} ]; then exit {NotRun}; fi\n( {s.Command}\n) || {{ status=$?; touch {failed}; exit $status; }}")),
            ("entries", DumpEntries().Replace("echo \"== $n\"", "[ \"$n\" = status ] && continue; echo \"== $n\"", StringComparison.Ordinal)),
            ("run", $"{busybox} uname -m"),
        ]);
    }

    // A real release folder: qus-publish --to-folder of qus-tarballs' output of real emulators (aarch64, riscv64).
    private static string Release(string name, params string[] extra)
    {
        var folder = Path.Combine(PackageFixtures.CacheRoot, "register-action-releases", Guid.NewGuid().ToString("n"), name);
        var result = ToolProcess.RunTool("Qus.Publish", ["--assets", ImageLayouts.X86Input, .. extra, "--to-folder", folder]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return Path.Combine(folder, Tag);
    }

    private static Task<ReleaseServer> Serve(string release, string damage = "") =>
        ReleaseServer.StartAsync(release, Tag, (name, body) =>
        {
            switch (damage, name)
            {
                case ("missing file", "x86_64_qemu-riscv64-static.tar.gz"):
                    return null;
                case ("tampered tarball", "x86_64_qemu-aarch64-static.tar.gz"):
                case ("tampered native tool", "qus-register-linux-x64"):
                    body[^100] ^= 0x55;
                    return body;
                case ("tampered SHA256SUMS", "SHA256SUMS"):
                    var text = System.Text.Encoding.UTF8.GetString(body);
                    var line = text.Split('\n').Single(l => l.EndsWith("  x86_64_qemu-riscv64-static.tar.gz", StringComparison.Ordinal));
                    return System.Text.Encoding.UTF8.GetBytes(text.Replace(line, new string('0', 64) + line[64..], StringComparison.Ordinal));
                default:
                    return body;
            }
        });
}
