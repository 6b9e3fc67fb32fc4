using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
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
    public void Skips_the_host_family_with_a_line_each()
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
            Assert.That(steps["aarch64 host"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: skipped, this aarch64 host runs it natively\n" +
                "qemu-arm: skipped, this aarch64 host runs it natively\n" +
                "qemu-i386: registered, interpreter /usr/bin/qemu-i386-static, flags none\n" +
                "qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags none\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("qemu-aarch64\nqemu-i386\nqemu-riscv64\nregister\nstatus\n"));
        });
    }

    [Test]
    public void An_entry_whose_magic_the_kernel_shows_masked_is_the_same_entry()
    {
        // x86 rows have magic bits outside their mask (e_ident 01 01 under fe fe); another tool may write them
        // masked. i386 is safe to register on an x86_64 host (nothing here is 32-bit), so pretend an aarch64 host.
        var i386 = ArchitectureTable.Get("i386");
        var masked = i386.Magic.Zip(i386.Mask, (m, k) => (byte)(m & k)).ToArray();
        var line = $":qemu-i386:M::{BinfmtEntry.Escape(masked)}:{BinfmtEntry.Escape(i386.Mask)}:/usr/bin/qemu-i386-static:";
        var steps = RunSteps(
        [
            ("other tool", $"printf '%s' {Quote(line)} > {Mount}/register && cat {Mount}/qemu-i386"),
            ("again", $"HOST_ARCH=aarch64 {Run("i386")}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["other tool"].StandardOutput, Does.Contain($"magic {Convert.ToHexStringLower(masked)}\n"));
            Assert.That(steps["again"].StandardOutput, Is.EqualTo("qemu-i386: already registered with the same contents, nothing to do\n"));
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
