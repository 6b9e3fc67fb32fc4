using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using QemuUserStatic.Architectures;
using QemuUserStatic.Archives;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// actions/register: valid by GitHub's schema, shellcheck-clean, inputs only through env, and its shell steps run for
/// real in a private binfmt_misc: the tool packed and installed from this checkout (once), emulators downloaded as
/// release tarballs from a loopback stand-in of GitHub's release downloads (or taken from a folder), registered.
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
        var shellcheck = ToolProcess.Run("shellcheck", ["--severity=style", Repo.Under("actions", "install-tool.sh"), .. scripts]);
        Assert.Multiple(() =>
        {
            Assert.That(validator.ExitCode, Is.Zero, validator.ToString());
            Assert.That(shellcheck.ExitCode, Is.Zero, shellcheck.ToString());
            Assert.That(Action.RunScripts, Has.Count.EqualTo(3));
            Assert.That(Action.RunScripts.Select(s => s.Run), Has.None.Contains("${{"), "inputs reach the shell only as env vars");
        });
    }

    [Test]
    public async Task Runs_on_a_runner_downloads_the_release_tarballs_registers_and_says_the_platforms()
    {
        // Real tarballs of the machine's emulators, named and laid out as the release assets are.
        var tarballs = new[] { "aarch64", "arm", "riscv64" }.ToDictionary(a => $"/download/v7.2.0-1/x86_64_qemu-{a}-static.tar.gz", a => Tarball($"qemu-{a}-static"));
        var requests = new ConcurrentQueue<string>();
        await using var releases = await LoopbackServer.StartAsync(async context =>
        {
            requests.Enqueue(context.Request.Path.Value!);
            if (tarballs.TryGetValue(context.Request.Path.Value!, out var body))
            {
                await context.Response.Body.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
        using var work = new TempDir("qus-action");
        var environment = ActionEnvironment.For(work);
        environment["QUS_RELEASES_URL"] = releases.BaseAddress.ToString().TrimEnd('/');
        var busybox = Quote(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"));
        var download = Action.ShellSteps(work.Path,
            new Dictionary<string, string> { ["targets"] = "arm64,linux/arm/v7 riscv64", ["version"] = "7.2.0-1", ["credential"] = "true" },
            environment, "a-");
        var folder = Action.ShellSteps(work.Path,
            new Dictionary<string, string> { ["targets"] = "s390x", ["emulators"] = "/usr/bin", ["persistent"] = "false", ["reset"] = "true" },
            environment, "b-");

        var steps = RunSteps(
        [
            .. download, ("a-entries", DumpEntries()), ("a-run", $"{busybox} uname -m"),
            .. folder, ("b-entries", $"ls {Mount} && cat {Mount}/qemu-s390x"),
        ]);

        var emulators = Path.Combine(ActionEnvironment.RunnerTemp, "qus-emulators");
        Assert.Multiple(() =>
        {
            foreach (var (name, result) in steps)
            {
                Assert.That(result.ExitCode, Is.Zero, $"{name}: {result}");
            }

            Assert.That(requests.Order(), Is.EqualTo(tarballs.Keys.Order()), "each needed tarball once, from the version's release");
            Assert.That(CompositeAction.Outputs(work.Path, "register", "a-")["platforms"],
                Is.EqualTo("linux/386,linux/amd64,linux/arm/v5,linux/arm/v6,linux/arm/v7,linux/arm64,linux/riscv64"));
            Assert.That(steps["a-entries"].StandardOutput, Does.Contain(
                $"== qemu-aarch64\nenabled\ninterpreter {emulators}/qemu-aarch64-static\nflags: OCF\n"));
            Assert.That(steps["a-entries"].StandardOutput, Does.Contain("== qemu-arm\n").And.Contain("== qemu-riscv64\n"));
            Assert.That(steps["a-run"].StandardOutput, Is.EqualTo("aarch64\n"));
            Assert.That(File.ReadAllText(work["summary.md"]), Does.Contain($"| qemu-aarch64 | OCF | {emulators}/qemu-aarch64-static | linux/arm64 |"));
            Assert.That(steps["b-tool"].StandardError, Does.Contain("already installed"), "install-tool.sh packs once");
            Assert.That(CompositeAction.Outputs(work.Path, "tool", "b-")["path"], Is.EqualTo(CompositeAction.Outputs(work.Path, "tool", "a-")["path"]));
            Assert.That(File.ReadAllLines(work["path"]).Distinct().Single(), Is.EqualTo(Path.GetDirectoryName(CompositeAction.Outputs(work.Path, "tool", "a-")["path"])));
            Assert.That(CompositeAction.Outputs(work.Path, "register", "b-")["platforms"], Is.EqualTo("linux/386,linux/amd64,linux/s390x"));
            Assert.That(steps["b-entries"].StandardOutput, Is.EqualTo(
                "qemu-s390x\nregister\nstatus\nenabled\ninterpreter /usr/bin/qemu-s390x-static\nflags: \noffset 0\n" +
                $"magic {Convert.ToHexStringLower(ArchitectureTable.Get("s390x").Magic)}\n" +
                $"mask {Convert.ToHexStringLower(ArchitectureTable.Get("s390x").Mask)}\n"));
        });
    }

    // One entry, the emulator, 0755, owner 0:0: the layout of qus-tarballs' <from_arch>_qemu-<arch>-static.tar.gz.
    private static byte[] Tarball(string emulator)
    {
        using var output = new MemoryStream();
        using (var gzip = ReproducibleTar.Gzip(output, level: 1, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Ustar, leaveOpen: true))
        using (var data = File.OpenRead($"/usr/bin/{emulator}"))
        {
            tar.WriteEntry(ReproducibleTar.File(emulator, ReproducibleTar.Executable, ReproducibleTar.Mtime(0), data));
        }

        return output.ToArray();
    }
}
