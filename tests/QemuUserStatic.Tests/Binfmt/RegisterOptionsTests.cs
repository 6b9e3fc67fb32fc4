using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Tests.Binfmt;

[Category("Unit")]
public class RegisterOptionsTests
{
    private static string[] Selected(params string[] targets) =>
        new RegisterOptions { Targets = targets }.SelectedTargets().Select(t => t.Name).ToArray();

    [Test]
    public void Targets_are_names_aliases_platforms_lists_or_all_in_table_order_once()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Selected("riscv64", "arm64,linux/arm/v7", " AMD64 ", "aarch64"), Is.EqualTo(new[] { "aarch64", "arm", "riscv64", "x86_64" }));
            Assert.That(Selected(), Has.Length.EqualTo(36));
            Assert.That(Selected("all", "s390x"), Has.Length.EqualTo(36));
            var unknown = Assert.Throws<UserException>(() => Selected("all", "vax"));
            Assert.That(unknown!.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(unknown.Message, Does.StartWith("unknown target 'vax' (known: aarch64, "));
        });
    }

    [Test]
    public void Options_become_flags_interpreters_and_emulator_names()
    {
        var options = new RegisterOptions
        {
            Targets = ["i386", "i486", "aarch64"], Persistent = true, Credential = true, PreserveArgv0 = true,
            QemuPath = "/opt/qemu//", QemuSuffix = "", KernelArch = "aarch64", HostArch = "aarch64",
        };
        var entry = options.EntryFor(QemuUserStatic.Architectures.ArchitectureTable.Get("i486"));
        Assert.Multiple(() =>
        {
            Assert.That(options.Flags.ToLetters(), Is.EqualTo("POCF"));
            Assert.That(entry.Interpreter, Is.EqualTo("/opt/qemu/qemu-i386"));
            Assert.That(entry.Name, Is.EqualTo("qemu-i486"));
            Assert.That(options.EmulatorFileNames(), Is.EqualTo(new[] { "qemu-i386" }), "aarch64 is native, i486 runs on qemu-i386");
        });
    }

    [Test]
    public void HOST_ARCH_adds_a_family_to_skip_and_never_makes_the_kernel_s_own_registrable()
    {
        var options = new RegisterOptions { Targets = ["x86_64", "i386", "aarch64", "arm", "riscv64"], KernelArch = "x86_64", HostArch = "aarch64" };
        var table = QemuUserStatic.Architectures.ArchitectureTable.All;
        Assert.Multiple(() =>
        {
            Assert.That(options.SelectedTargets().Select(options.NativeHostOf),
                Is.EqualTo(new[] { "aarch64", "aarch64", "x86_64", null, "x86_64" }), "aarch64, arm, i386, riscv64, x86_64");
            Assert.That(options.EmulatorFileNames(), Is.EqualTo(new[] { "qemu-riscv64-static" }));
            Assert.That(table.Where(new RegisterOptions { KernelArch = "x86_64", HostArch = "x86_64" }.IsNative).Select(t => t.Name),
                Is.EqualTo(new[] { "i386", "i486", "x86_64" }));
        });
    }

    [Test]
    public void An_entry_name_that_would_not_print_as_it_is_is_refused_before_anything_is_written()
    {
        var entry = new BinfmtEntry("qemu-\u001b[2J", BinfmtEntryType.Extension, 0, "qx"u8.ToArray(), [], "/bin/true", BinfmtFlags.None);
        var error = Assert.Throws<UserException>(() => new BinfmtMisc("/nonexistent").Register(entry))!;
        Assert.That(error.Message, Is.EqualTo(
            "refusing to register an entry named 'qemu-\\x1b[2J': only letters, digits and . _ + - (at most 64) make a name"));
    }

    [TestCase("yes", true)]
    [TestCase("No", false)]
    [TestCase("true", true)]
    [TestCase("false", false)]
    public void Yes_no_values(string value, bool expected) =>
        Assert.That(RegisterOptions.ParseYesNo("-p", value), Is.EqualTo(expected));

    [Test]
    public void Bad_values_are_usage_errors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<UserException>(() => RegisterOptions.ParseYesNo("--credential", "y"))!.Message,
                Is.EqualTo("--credential: expected yes or no, got 'y'"));
            Assert.That(Assert.Throws<UserException>(() => new RegisterOptions { QemuPath = "bin" }.Validate())!.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.Throws<UserException>(() => new RegisterOptions { QemuSuffix = "-static\n" }.Validate());
        });
    }
}
