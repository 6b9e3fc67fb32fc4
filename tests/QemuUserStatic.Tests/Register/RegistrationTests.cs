using QemuUserStatic.Architectures;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// Registration for real, in a private binfmt_misc: qus-register and the generated /register script (busybox sh,
/// dash) each register, read back, run a real aarch64 program, do nothing when nothing changed, replace, re-enable,
/// reset and skip the host's family, and print the same lines while doing it.
/// </summary>
public class RegistrationTests(string implementation) : RegistrarFixture(implementation)
{
    private const string Entry = Mount + "/qemu-aarch64";
    private static readonly string AarchMagic = Convert.ToHexStringLower(ArchitectureTable.Get("aarch64").Magic);
    private static readonly string AarchMask = Convert.ToHexStringLower(ArchitectureTable.Get("aarch64").Mask);

    [OneTimeSetUp]
    public void HostIsX8664() =>
        Assert.That(ArchitectureTable.HostArch, Is.EqualTo("x86_64"), "these tests register aarch64 and skip i386/x86_64: an x86_64 host");

    [Test]
    public void Registers_reads_back_each_flag_set_and_runs_a_real_aarch64_program()
    {
        var busybox = Quote(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"));
        var steps = RunSteps(
        [
            ("before", $"{busybox} uname -m"),
            ("F", Run("-p", "yes", "aarch64")),
            ("cat F", $"cat {Entry}"),
            ("run F", $"{busybox} uname -m"),
            ("OCF", Run("--credential", "yes", "-p", "yes", "arm64")),
            ("cat OCF", $"cat {Entry}"),
            ("none", Run("linux/arm64")),
            ("cat none", $"cat {Entry}"),
            ("run none", $"{busybox} uname -m"),
            ("again", Run("aarch64")),
            ("entries", DumpEntries()),
        ]);

        const string Interpreter = "/usr/bin/qemu-aarch64-static";
        string Shown(string letters) =>
            $"enabled\ninterpreter {Interpreter}\nflags: {letters}\noffset 0\nmagic {AarchMagic}\nmask {AarchMask}\n";
        Assert.Multiple(() =>
        {
            Assert.That(steps["before"].ExitCode, Is.Not.Zero, "nothing emulates aarch64 in a fresh sandbox");
            Assert.That(steps["F"].StandardOutput, Is.EqualTo($"qemu-aarch64: registered, interpreter {Interpreter}, flags F\n"), steps["F"].ToString());
            Assert.That(steps["cat F"].StandardOutput, Is.EqualTo(Shown("F")));
            Assert.That(steps["run F"].StandardOutput, Is.EqualTo("aarch64\n"), steps["run F"].ToString());
            Assert.That(steps["OCF"].StandardOutput,
                Is.EqualTo($"qemu-aarch64: replaced, flags F -> OCF, interpreter {Interpreter} -> {Interpreter}\n"));
            Assert.That(steps["cat OCF"].StandardOutput, Is.EqualTo(Shown("OCF")));
            Assert.That(steps["none"].StandardOutput,
                Is.EqualTo($"qemu-aarch64: replaced, flags OCF -> none, interpreter {Interpreter} -> {Interpreter}\n"));
            Assert.That(steps["cat none"].StandardOutput, Is.EqualTo(Shown("")));
            Assert.That(steps["run none"].StandardOutput, Is.EqualTo("aarch64\n"));
            Assert.That(steps["again"].StandardOutput, Is.EqualTo("qemu-aarch64: already registered with the same contents, nothing to do\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("== qemu-aarch64\n" + Shown("") + "== status\nenabled\n"));
            foreach (var (name, result) in steps.Where(s => s.Key != "before"))
            {
                Assert.That(result.ExitCode, Is.Zero, $"{name}: {result}");
                Assert.That(result.StandardError, Is.Empty, name);
            }
        });
    }

    [Test]
    public void Skips_the_host_family_with_a_line_each_and_HOST_ARCH_only_adds_one()
    {
        var steps = RunSteps(
        [
            ("x86_64 host", Run("x86_64", "i386,aarch64")),
            ("aarch64 host", $"HOST_ARCH=arm64 {Run("arm", "aarch64", "i386", "riscv64")}"),
            ("entries", $"ls {Mount}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["x86_64 host"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: registered, interpreter /usr/bin/qemu-aarch64-static, flags none\n" +
                "qemu-i386: skipped, this x86_64 host runs it natively\n" +
                "qemu-x86_64: skipped, this x86_64 host runs it natively\n"));
            // The kernel still runs x86_64: HOST_ARCH=arm64 never makes i386 registrable, it skips arm's family as well.
            Assert.That(steps["aarch64 host"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: skipped, this aarch64 host runs it natively\n" +
                "qemu-arm: skipped, this aarch64 host runs it natively\n" +
                "qemu-i386: skipped, this x86_64 host runs it natively\n" +
                "qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags none\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("qemu-aarch64\nqemu-riscv64\nregister\nstatus\n"));
        });
    }

    [Test]
    public void Re_enables_a_disabled_entry_and_warns_when_binfmt_misc_is_off()
    {
        var steps = RunSteps(
        [
            ("register", Run("aarch64")),
            ("disabled entry", $"echo 0 > {Entry} && {Run("aarch64")} && head -1 {Entry}"),
            ("disabled table", $"echo 0 > {Mount}/status && {Run("aarch64")}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["disabled entry"].StandardOutput, Is.EqualTo("qemu-aarch64: already registered but disabled, enabled it\nenabled\n"));
            Assert.That(steps["disabled table"].ExitCode, Is.Zero);
            Assert.That(steps["disabled table"].StandardOutput, Is.EqualTo("qemu-aarch64: already registered with the same contents, nothing to do\n"));
            Assert.That(Registrars.Normalized(steps["disabled table"].StandardError), Is.EqualTo(
                $"register: warning: binfmt_misc is disabled ({Mount}/status): nothing is emulated until: echo 1 > {Mount}/status\n"));
        });
    }

    [Test]
    public void Reset_removes_every_qemu_entry_and_nothing_else()
    {
        var steps = RunSteps(
        [
            ("setup", $"{Run("aarch64", "s390x")} && printf '%s' ':python-test:E::pyx::/usr/bin/python3:' > {Mount}/register"),
            ("reset", Run("--reset", "riscv64")),
            ("entries", $"ls {Mount}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["setup"].ExitCode, Is.Zero, steps["setup"].ToString());
            Assert.That(steps["reset"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: removed\nqemu-s390x: removed\n" +
                "qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags none\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("python-test\nqemu-riscv64\nregister\nstatus\n"));
        });
    }

    [Test]
    public void Prints_entry_names_and_interpreters_from_the_kernel_escaped()
    {
        // Another program registered names and an interpreter holding terminal escape sequences (clear screen, set
        // the window title, a bell) and a line break: printed raw they would rewrite the terminal or forge a line.
        var steps = RunSteps(
        [
            ("other program", $"printf ':qemu-\\033[2J\\033]0;pwned\\007:E::qx::/bin/true:' > {Mount}/register && " +
                              $"printf ':qemu-aarch64:E::qy::/tmp/\\033[31mred\\nqemu-x registered:' > {Mount}/register"),
            ("run", Run("--reset", "riscv64")),
            ("replace", $"printf ':qemu-aarch64:E::qy::/tmp/\\033[31mred\\\\:' > {Mount}/register && {Run("aarch64")}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["other program"].ExitCode, Is.Zero, steps["other program"].ToString());
            Assert.That(steps["run"].StandardOutput, Is.EqualTo(
                "qemu-\\x1b[2J\\x1b]0;pwned\\x07: removed\nqemu-aarch64: removed\n" +
                "qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags none\n"), steps["run"].ToString());
            Assert.That(steps["replace"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: replaced, flags none -> none, interpreter /tmp/\\x1b[31mred\\x5c -> /usr/bin/qemu-aarch64-static\n"),
                steps["replace"].ToString());
            Assert.That(steps["run"].StandardError + steps["replace"].StandardError, Is.Empty);
        });
    }

    [Test]
    public void Runs_at_the_same_time_wait_for_each_other_and_all_succeed()
    {
        // Three --reset -p yes at once: each removes what the others registered and registers again; serialised by
        // the lock on the mount, none meets an entry removed or registered meanwhile.
        var each = string.Join(' ', Enumerable.Range(0, 3).Select(i =>
            $"( {Run("--reset", "-p", "yes")} ) >/tmp/qus-concurrent-{i}.out 2>/tmp/qus-concurrent-{i}.err & pids=\"$pids $!\";"));
        var steps = RunSteps(
        [
            ("at once", $"pids=''; {each} status=0; for pid in $pids; do wait $pid || status=1; done; " +
                        "cat /tmp/qus-concurrent-*.err; exit $status"),
            ("entries", $"ls {Mount} | wc -l; grep -l 'flags: F' {Mount}/qemu-* | wc -l"),
        ]);

        var foreign = ArchitectureTable.ForeignTo("x86_64").Count;
        Assert.Multiple(() =>
        {
            Assert.That(steps["at once"].ExitCode, Is.Zero, steps["at once"].ToString());
            Assert.That(steps["at once"].StandardOutput, Is.Empty, "no run said anything on stderr");
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo($"{foreign + 2}\n{foreign}\n"));
        });
    }

    [Test]
    public void Waits_for_the_lock_another_run_holds_on_the_mount()
    {
        // flock(1) holds the lock a run takes (the mount folder) for two seconds and then leaves a mark: a run started
        // meanwhile must finish after the mark.
        var steps = RunSteps(
        [
            ("held", $"rm -f /tmp/qus-lock-mark; flock {Mount} sh -c 'sleep 2; echo released > /tmp/qus-lock-mark' & sleep 0.3; " +
                     $"{Run("aarch64")} && cat /tmp/qus-lock-mark; wait"),
        ]);

        Assert.That(steps["held"].StandardOutput, Is.EqualTo(
            "qemu-aarch64: registered, interpreter /usr/bin/qemu-aarch64-static, flags none\nreleased\n"), steps["held"].ToString());
    }

    [Test]
    public void Mounts_binfmt_misc_when_only_the_folder_is_there()
    {
        using var folder = new TempDir("qus-binfmt-folder");
        var steps = RunSteps(
        [
            ("register", Run("--mount", folder.Path + "/", "aarch64")),
            ("same instance", $"cat {Entry}"),
            ("again", Run("--mount", folder.Path, "aarch64")),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["register"].StandardOutput, Is.EqualTo(
                $"mounted binfmt_misc on {folder.Path}\nqemu-aarch64: registered, interpreter /usr/bin/qemu-aarch64-static, flags none\n"),
                steps["register"].ToString());
            Assert.That(steps["same instance"].StandardOutput, Does.StartWith("enabled\ninterpreter /usr/bin/qemu-aarch64-static\n"));
            Assert.That(steps["again"].StandardOutput, Is.EqualTo("qemu-aarch64: already registered with the same contents, nothing to do\n"));
        });
    }
}
