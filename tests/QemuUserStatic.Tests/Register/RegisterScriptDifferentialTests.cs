using QemuUserStatic.Architectures;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// The generated /register script (busybox sh and dash) against qus-register, on the same options in fresh
/// sandboxes: every file in the mount byte for byte equal after each step, and the same lines printed.
/// </summary>
public class RegisterScriptDifferentialTests
{
    // The image's ENV QEMU_BIN_DIR=/usr/bin; the steps cover every row (all but the host family), no-ops,
    // replacements with each flag, reset, a disabled entry, failures, another emulator folder and another host family.
    private static readonly (string Name, string Before, string[] Args)[] Steps =
    [
        ("reset -p yes (every row)", "export QEMU_BIN_DIR=/usr/bin", ["--reset", "-p", "yes"]),
        ("again: nothing to do", "export QEMU_BIN_DIR=/usr/bin", ["-p", "yes"]),
        ("credential", ":", ["-c", "yes", "-p", "yes", "arm64", "linux/riscv64", "S390X"]),
        ("preserve-argv0", ":", ["--preserve-argv0", "yes", "ppc64le,mips64el", "all"]),
        ("reset one", ":", ["--reset", "aarch64", "aarch64"]),
        ("disabled entry", $"echo 0 > {Mount}/qemu-aarch64", ["aarch64", "arm"]),
        ("some fail", $"printf x > {Folder}/qemu-aarch64-static", ["-p", "yes", "--qemu-path", Folder, "aarch64", "riscv64"]),
        ("all fail", ":", ["-p", "yes", "--qemu-path", Folder, "arm", "sparc64"]),
        ("QEMU_BIN_DIR", "export QEMU_BIN_DIR=/opt/qemu/", ["aarch64", "arm"]),
        ("aarch64 host", "export HOST_ARCH=aarch64", ["--qemu-suffix", "", "i386", "i486", "arm", "aarch64", "riscv64"]),
    ];

    // An emulator folder inside the sandbox: riscv64 a real emulator, aarch64 a file that cannot be executed.
    private const string Folder = "/tmp/qus-differential-emulators";

    [Test]
    public void The_script_and_the_tool_leave_the_same_kernel_entries_and_say_the_same()
    {
        var runs = Registrars.All.ToDictionary(implementation => implementation, implementation => RunSteps(
            Steps.SelectMany(step => new[]
            {
                (step.Name, $"{step.Before}; {Registrars.Command(implementation, step.Args)}"),
                (step.Name + " entries", DumpEntries()),
            }).Prepend(("emulators", $"rm -rf {Folder}; mkdir {Folder} && ln -s /usr/bin/qemu-riscv64-static {Folder}/"))));

        var tool = runs["qus-register"];
        Assert.Multiple(() =>
        {
            Assert.That(tool[Steps[0].Name].StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(36));
            Assert.That(tool[Steps[0].Name + " entries"].StandardOutput, Does.Contain("== qemu-xtensaeb\n").And.Contain("flags: F\n"));
            Assert.That(tool[Steps[1].Name].StandardOutput, Does.Not.Contain("registered,").And.Contain("nothing to do"));
            Assert.That(tool["disabled entry"].StandardOutput, Does.Contain("qemu-aarch64: already registered but disabled, enabled it\n"));
            Assert.That(tool["some fail"].ExitCode, Is.EqualTo(1));
            Assert.That(tool["some fail"].StandardOutput, Does.Contain($"qemu-riscv64: registered, interpreter {Folder}/qemu-riscv64-static, flags F\n"));
            Assert.That(tool["all fail"].StandardError, Does.Contain("these are missing"));
            foreach (var implementation in Registrars.All.Skip(1))
            {
                foreach (var (name, expected) in tool)
                {
                    var actual = runs[implementation][name];
                    Assert.That(actual.ExitCode, Is.EqualTo(expected.ExitCode), $"{implementation}, {name}: exit code\n{actual}");
                    Assert.That(actual.StandardOutput, Is.EqualTo(expected.StandardOutput), $"{implementation}, {name}: output");
                    Assert.That(Registrars.Normalized(actual.StandardError), Is.EqualTo(Registrars.Normalized(expected.StandardError)),
                        $"{implementation}, {name}: errors");
                }
            }
        });
    }

    [Test]
    public void Every_row_registered_by_the_script_is_shown_by_the_kernel_as_the_table_says()
    {
        var dump = RunSteps([("all", Registrars.Command("dash", "-p", "yes")), ("entries", DumpEntries())])["entries"].StandardOutput;
        foreach (var target in ArchitectureTable.ForeignTo(ArchitectureTable.HostArch))
        {
            Assert.That(dump, Does.Contain(
                $"== {target.EntryName}\nenabled\ninterpreter /usr/bin/{target.EmulatorFileName()}\nflags: F\noffset 0\n" +
                $"magic {Convert.ToHexStringLower(target.Magic)}\nmask {Convert.ToHexStringLower(target.Mask)}\n"));
        }
    }
}
