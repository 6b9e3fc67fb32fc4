using QemuUserStatic.Architectures;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// Every failure a user can meet, provoked for real in a private binfmt_misc: one sentence that says what to do,
/// the same from qus-register and from the generated /register script, and the exit code (1 failed, 2 usage).
/// </summary>
public class RegistrationErrorTests(string implementation) : RegistrarFixture(implementation)
{
    private static void AssertFailure(ProcessResult result, int exitCode, string message)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
            Assert.That(Registrars.Normalized(result.StandardError), Is.EqualTo($"register: error: {message}\n"), result.ToString());
        });
    }

    [Test]
    public void Persistent_with_missing_interpreters_names_them_all_and_changes_nothing()
    {
        var steps = RunSteps(
        [
            ("-p yes", Run("--reset", "-p", "yes", "--qemu-path", "/nonexistent/bin", "riscv64", "aarch64", "i386", "arm64")),
            ("entries", $"ls {Mount}"),
            ("register image", Run("--qemu-path", "/nonexistent/bin", "aarch64")),
        ]);

        AssertFailure(steps["-p yes"], 1,
            "-p yes opens the interpreters now, and these are missing: /nonexistent/bin/qemu-aarch64-static, " +
            "/nonexistent/bin/qemu-riscv64-static; install them, give their folder with --qemu-path, or run without -p yes " +
            "(the :register image has no emulators of its own)");
        Assert.Multiple(() =>
        {
            Assert.That(steps["-p yes"].StandardOutput, Is.Empty);
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("register\nstatus\n"));
            Assert.That(steps["register image"].ExitCode, Is.Zero, "without -p the kernel looks the interpreter up later");
            Assert.That(steps["register image"].StandardOutput,
                Is.EqualTo("qemu-aarch64: registered, interpreter /nonexistent/bin/qemu-aarch64-static, flags none\n"));
        });
    }

    [Test]
    public void Usage_errors_exit_2_with_the_sentence()
    {
        var steps = RunSteps(
        [
            ("unknown", Run("aarch64", "vax")),
            ("yes/no", Run("-p", "maybe", "aarch64")),
            ("relative", Run("--qemu-path", "usr/bin", "aarch64")),
            ("colon", Run("--qemu-suffix", ":static", "aarch64")),
            ("entries", $"ls {Mount}"),
        ]);

        AssertFailure(steps["unknown"], 2, ArchitectureTable.UnknownNameMessage("vax"));
        AssertFailure(steps["yes/no"], 2, "--persistent: expected yes or no, got 'maybe'");
        AssertFailure(steps["relative"], 2, "--qemu-path: 'usr/bin' is not an absolute path, and the kernel needs one");
        AssertFailure(steps["colon"], 2,
            "--qemu-path and --qemu-suffix cannot contain ':' or a line break: the register line separates its fields with ':'");
        Assert.That(steps["entries"].StandardOutput, Is.EqualTo("register\nstatus\n"));
    }

    [Test]
    public void A_missing_mount_folder_is_named()
    {
        var result = RunSteps([("run", Run("--mount", "/nonexistent/binfmt_misc", "aarch64"))])["run"];
        AssertFailure(result, 1,
            "/nonexistent/binfmt_misc: no such folder: is binfmt_misc in this kernel (modprobe binfmt_misc)? Or give its folder with --mount");
    }

    [Test]
    public void A_plain_folder_holding_register_and_status_is_refused_and_left_as_it_was()
    {
        // Files named register and status in a folder on the root file system are not binfmt_misc (statfs says so):
        // appending a register line there would register nothing, so nothing is written and the run fails.
        using var folder = new TempDir("qus-plain-folder");
        File.WriteAllText(folder["register"], "");
        File.WriteAllText(folder["status"], "enabled\n");
        var result = RunSteps([("run", Run("--reset", "--mount", folder.Path + "/", "aarch64"))])["run"];
        AssertFailure(result, 1,
            $"{folder.Path}: not a binfmt_misc file system, yet it holds a file named register; give the folder binfmt_misc " +
            "is mounted on with --mount, or an empty folder to mount it on");
        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(File.ReadAllText(folder["register"]), Is.Empty);
            Assert.That(Directory.GetFiles(folder.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "register", "status" }));
        });
    }

    [Test]
    public void Without_root_mounting_is_refused_with_what_to_do()
    {
        // A nested user namespace without a mapping has no right to mount: what a container without --privileged meets.
        using var folder = new TempDir("qus-binfmt-unmounted");
        var result = RunSteps([("run", $"unshare --user {Run("--mount", folder.Path, "aarch64")}")])["run"];
        AssertFailure(result, 1,
            $"cannot mount binfmt_misc on {folder.Path}: permission denied; run as root, and run a container with --privileged");
    }

    [Test]
    public void Without_root_registering_is_refused_once_with_what_to_do()
    {
        var result = RunSteps([("run", $"chmod 0 {Mount}/register && unshare --user {Run("aarch64", "riscv64")}")])["run"];
        AssertFailure(result, 1,
            $"{Mount}/register: permission denied; changing binfmt_misc needs root: run with sudo, or run the container with --privileged");
        Assert.That(result.StandardOutput, Is.Empty);
    }

    [Test]
    public void A_register_line_the_kernel_refuses_is_explained()
    {
        // The kernel takes at most 1920 bytes per register line (EINVAL beyond): a very long --qemu-path.
        var folder = "/" + new string('q', 1900);
        var steps = RunSteps([("run", Run("--qemu-path", folder, "aarch64", "riscv64")), ("entries", $"ls {Mount}")]);
        Assert.Multiple(() =>
        {
            Assert.That(steps["run"].ExitCode, Is.EqualTo(1), steps["run"].ToString());
            Assert.That(Registrars.Normalized(steps["run"].StandardError), Is.EqualTo(string.Concat(
                new[] { "aarch64", "riscv64" }.Select(t =>
                    $"register: error: qemu-{t}: the kernel refused the entry as invalid; the interpreter {folder}/qemu-{t}-static " +
                    "must be an absolute path and the whole line under 1920 bytes: check --qemu-path and --qemu-suffix\n"))));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("register\nstatus\n"));
        });
    }

    [Test]
    public void An_interpreter_that_cannot_be_executed_is_named_and_the_others_still_register()
    {
        using var folder = new TempDir("qus-emulators");
        File.WriteAllText(folder["qemu-aarch64-static"], "not executable");
        File.CreateSymbolicLink(folder["qemu-riscv64-static"], "/usr/bin/qemu-riscv64-static");
        var steps = RunSteps([("run", Run("-p", "yes", "--qemu-path", folder.Path, "aarch64", "riscv64")), ("entries", $"ls {Mount}")]);
        Assert.Multiple(() =>
        {
            AssertFailure(steps["run"], 1,
                $"qemu-aarch64: interpreter {folder.Path}/qemu-aarch64-static cannot be executed (permission denied); " +
                "make it executable (chmod 755) on a file system not mounted noexec");
            Assert.That(steps["run"].StandardOutput,
                Is.EqualTo($"qemu-riscv64: registered, interpreter {folder.Path}/qemu-riscv64-static, flags F\n"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("qemu-riscv64\nregister\nstatus\n"));
        });
    }
}
