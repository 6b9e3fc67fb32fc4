using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Binfmt;

/// <summary>The generated /register script as a file: deterministic, POSIX sh that shellcheck accepts, from the table.</summary>
public class RegisterScriptTests
{
    [Test]
    public void Is_deterministic_ASCII_and_what_the_tool_prints()
    {
        var script = RegisterScript.Render();
        var printed = ToolProcess.RunTool("Qus.Register", ["--print-entrypoint"]);
        Assert.Multiple(() =>
        {
            Assert.That(RegisterScript.Render(), Is.EqualTo(script));
            Assert.That(RegisterScript.RenderBytes(), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(script)));
            Assert.That(script.All(c => c < 128), Is.True, "ASCII");
            Assert.That(script, Does.StartWith("#!/bin/sh\n").And.Not.Contain("\r"));
            Assert.That(printed.ExitCode, Is.Zero);
            Assert.That(printed.StandardOutput, Is.EqualTo(script));
        });
    }

    [Test]
    public void Explains_its_options()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["register"], RegisterScript.Render());
        var help = ToolProcess.Run("busybox", ["sh", dir["register"], "--help"]);
        var unknown = ToolProcess.Run("busybox", ["sh", dir["register"], "--status"]);
        Assert.Multiple(() =>
        {
            Assert.That(help.ExitCode, Is.Zero);
            Assert.That(help.StandardOutput, Does.StartWith("Usage: register [--reset]").And.Contain("-p, --persistent yes"));
            Assert.That(unknown.ExitCode, Is.EqualTo(2));
            Assert.That(unknown.StandardError, Is.EqualTo("register: error: unknown option '--status'; see --help\n"));
        });
    }

    [Test]
    public void Passes_shellcheck_as_POSIX_sh()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["register"], RegisterScript.Render(new RegisterScriptOptions { DefaultQemuPath = "/opt/it's here" }));
        File.WriteAllText(dir["carrying"], RegisterScript.Render(new RegisterScriptOptions { Carried = ["aarch64", "i386", "i486"] }));
        var result = ToolProcess.Run("shellcheck", ["--shell=sh", "--severity=style", dir["register"], dir["carrying"]]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public void Registers_what_an_image_carries_unless_told_other_targets()
    {
        // An image carrying aarch64 and riscv64 only: given no target (or all) it registers those two, so -p yes finds
        // every interpreter; named targets are registered as asked, and -p yes then names the missing ones.
        using var dir = new TempDir();
        File.WriteAllText(dir["register"], RegisterScript.Render(new RegisterScriptOptions { Carried = ["aarch64", "riscv64"] }));
        Directory.CreateDirectory(dir["bin"]);
        File.Copy("/usr/bin/qemu-aarch64-static", dir["bin/qemu-aarch64-static"]);
        File.Copy("/usr/bin/qemu-riscv64-static", dir["bin/qemu-riscv64-static"]);
        var register = $"sh {BinfmtSandbox.Quote(dir["register"])} --qemu-path {BinfmtSandbox.Quote(dir["bin"])}";

        var steps = BinfmtSandbox.RunSteps(
        [
            ("none", $"{register} --reset -p yes"),
            ("none-entries", "ls /proc/sys/fs/binfmt_misc"),
            ("all", $"{register} --reset -p yes all"),
            ("named", $"{register} --reset -p yes riscv64 alpha"),
            ("named-without-p", $"{register} --reset alpha"),
            ("named-entries", "ls /proc/sys/fs/binfmt_misc"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["none"].ExitCode, Is.Zero, steps["none"].ToString());
            Assert.That(steps["none"].StandardOutput, Is.EqualTo(
                $"qemu-aarch64: registered, interpreter {dir["bin"]}/qemu-aarch64-static, flags F\n" +
                $"qemu-riscv64: registered, interpreter {dir["bin"]}/qemu-riscv64-static, flags F\n"));
            Assert.That(steps["none-entries"].StandardOutput, Is.EqualTo("qemu-aarch64\nqemu-riscv64\nregister\nstatus\n"));
            Assert.That(steps["all"].ExitCode, Is.Zero, steps["all"].ToString());
            Assert.That(steps["all"].StandardOutput, Does.EndWith("qemu-riscv64: registered, interpreter " + dir["bin"] + "/qemu-riscv64-static, flags F\n"));
            Assert.That(steps["named"].ExitCode, Is.EqualTo(1));
            Assert.That(steps["named"].StandardError, Is.EqualTo(
                $"register: error: -p yes opens the interpreters now, and these are missing: {dir["bin"]}/qemu-alpha-static; install them, " +
                "give their folder with --qemu-path, or run without -p yes (the :register image has no emulators of its own)\n"));
            Assert.That(steps["named-without-p"].ExitCode, Is.Zero, steps["named-without-p"].ToString());
            Assert.That(steps["named-entries"].StandardOutput, Is.EqualTo("qemu-alpha\nregister\nstatus\n"));
        });
    }

    [Test]
    public void Holds_every_row_alias_and_sentence_of_the_library()
    {
        var script = RegisterScript.Render();
        Assert.Multiple(() =>
        {
            foreach (var target in ArchitectureTable.All)
            {
                Assert.That(script, Does.Contain($"\"$1\" {target.Name} {target.Emulator} {target.Family} '{BinfmtEntry.Escape(target.Magic)}'"));
                Assert.That(script, Does.Contain($" name={target.Name} ;;"));
                foreach (var alias in target.Names)
                {
                    Assert.That(script, Does.Match($@"[ |]{System.Text.RegularExpressions.Regex.Escape(alias.ToLowerInvariant())}[|)]"), alias);
                }
            }

            foreach (var rule in BinfmtMessages.Rules)
            {
                var shText = System.Text.RegularExpressions.Regex.Replace(rule.Template, @"\{([a-z_]+)\}", "${$1}");
                Assert.That(script, Does.Contain($"msg=\"{shText}\";"), rule.Template);
            }
        });
    }

    [TestCase("", null, null)]
    [TestCase("armv7l", "qemu-arm", "arm")]
    [TestCase("armv8l", "qemu-arm", "arm")]
    [TestCase("aarch64", "qemu-arm", "aarch64")]
    [TestCase("linux/arm64", "qemu-arm", "aarch64")]
    [TestCase("i686", null, null)]
    [TestCase("ppc64el", "qemu-ppc64le", "ppc64le")]
    [TestCase("ppc64", "qemu-ppc64", "ppc64")]
    [TestCase("mips64", "qemu-mips64el", "mips64")]
    [TestCase("riscv64", "qemu-riscv32", "riscv64")]
    public void Tells_the_host_family_at_run_time_as_the_tool_does(string hostArch, string? alsoSkipped, string? asHost)
    {
        // Each implementation in its own private binfmt_misc: the skipped lines say which families each took for the
        // host. The kernel's (uname -m: x86_64, so i486) always; a known HOST_ARCH only adds its own family.
        string[] args = ["arm", "i486", "ppc64", "ppc64le", "mips64el", "riscv32", "s390x"];
        var environment = new Dictionary<string, string?> { ["HOST_ARCH"] = hostArch };
        var script = BinfmtSandbox.RunSteps([("run", Register.Registrars.Command("busybox sh", args))], environment)["run"];
        var tool = BinfmtSandbox.RunSteps([("run", BinfmtSandbox.Tool(args))], environment)["run"];
        var skipped = script.StandardOutput.Split('\n').Where(l => l.Contains("skipped")).ToList();
        var expected = new[] { "qemu-i486: skipped, this x86_64 host runs it natively" }
            .Concat(alsoSkipped is null ? [] : [$"{alsoSkipped}: skipped, this {asHost} host runs it natively"]);
        Assert.Multiple(() =>
        {
            Assert.That(script.ExitCode, Is.Zero, script.ToString());
            Assert.That(script.StandardOutput, Is.EqualTo(tool.StandardOutput));
            Assert.That(skipped, Is.EquivalentTo(expected), script.StandardOutput);
        });
    }

    [TestCase("vax", "unknown")]
    [TestCase("x86_64;id", "malformed")]
    [TestCase(" x86_64", "malformed")]
    [TestCase("x86_64\n", "malformed")]
    [TestCase("\u001b[2Jarm64", "malformed")]
    public void An_unknown_or_malformed_HOST_ARCH_is_one_error_line_and_registers_nothing(string hostArch, string kind)
    {
        var message = kind == "unknown" ? ArchitectureTable.UnknownHostArchMessage(hostArch) : ArchitectureTable.MalformedHostArchMessage;
        var environment = new Dictionary<string, string?> { ["HOST_ARCH"] = hostArch };
        Assert.Multiple(() =>
        {
            foreach (var implementation in Register.Registrars.All)
            {
                var steps = BinfmtSandbox.RunSteps(
                [
                    ("before", $"env -u HOST_ARCH {BinfmtSandbox.Tool("riscv64")}"),
                    ("reset", Register.Registrars.Command(implementation, "--reset", "-p", "yes")),
                    ("entries", $"ls {BinfmtSandbox.Mount}"),
                ], environment);
                var reset = steps["reset"];
                Assert.That(steps["before"].ExitCode, Is.Zero, steps["before"].ToString());
                Assert.That(reset.ExitCode, Is.EqualTo(2), $"{implementation}: {reset}");
                Assert.That(Register.Registrars.Normalized(reset.StandardError), Is.EqualTo($"register: error: {message}\n"), implementation);
                Assert.That(reset.StandardOutput, Is.Empty, implementation);
                Assert.That(steps["entries"].StandardOutput, Is.EqualTo("qemu-riscv64\nregister\nstatus\n"), $"{implementation}: nothing registered, nothing removed");
            }
        });
    }
}
