using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// <c>--uninstall</c> in a private binfmt_misc: patterns reach only the entries <c>--reset</c> removes (qemu-*), an
/// exact name reaches any entry, and every name it prints is escaped.
/// </summary>
public class UninstallTests
{
    private const string Python = "printf '%s' ':python3:E::pyc::/usr/bin/python3:' > " + Mount + "/register";

    [Test]
    public void A_pattern_removes_only_qemu_entries_as_reset_does()
    {
        var steps = RunSteps(
        [
            ("setup", $"{Tool("aarch64", "s390x")} && {Python}"),
            ("all", Tool("--uninstall", "*")),
            ("again", Tool("--uninstall", "*,py*")),
            ("entries", $"ls {Mount}"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["setup"].ExitCode, Is.Zero, steps["setup"].ToString());
            Assert.That(steps["all"].StandardOutput, Is.EqualTo("qemu-aarch64: removed\nqemu-s390x: removed\n"), steps["all"].ToString());
            Assert.That(steps["again"].StandardOutput, Is.EqualTo("*: not registered, nothing to remove\npy*: not registered, nothing to remove\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("python3\nregister\nstatus\n"));
        });
    }

    [Test]
    public void An_exact_name_removes_that_entry_whoever_registered_it()
    {
        var steps = RunSteps(
        [
            ("setup", $"{Tool("riscv64")} && {Python}"),
            ("exact", Tool("--uninstall", "python3,riscv64,qemu-sparc64")),
            ("entries", $"ls {Mount}"),
            ("escaped", Tool("--uninstall", "qemu-\u001b[2J")),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["exact"].ExitCode, Is.Zero, steps["exact"].ToString());
            Assert.That(steps["exact"].StandardOutput, Is.EqualTo(
                "python3: removed\nqemu-riscv64: removed\nqemu-sparc64: not registered, nothing to remove\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("register\nstatus\n"));
            Assert.That(steps["escaped"].StandardOutput, Is.EqualTo("qemu-\\x1b[2J: not registered, nothing to remove\n"));
        });
    }
}
