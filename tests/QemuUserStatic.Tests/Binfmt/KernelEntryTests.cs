using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Tests.Binfmt;

[Category("Unit")]
public class KernelEntryTests
{
    // What a 6.x kernel shows for qemu-x86_64 registered with flags OCF (magic kept as written, bits outside the mask).
    private const string X8664Text =
        "enabled\ninterpreter /usr/bin/qemu-x86_64-static\nflags: OCF\noffset 0\n" +
        "magic 7f454c4602010100000000000000000002003e00\nmask fffffffffffefe00fffffffffffffffffeffffff\n";

    private static BinfmtEntry X8664(BinfmtFlags flags) =>
        ArchitectureTable.Get("x86_64").ToBinfmtEntry("/usr/bin/qemu-x86_64-static", flags);

    [Test]
    public void Parses_the_kernel_s_text_and_writes_it_back_byte_for_byte()
    {
        var entry = KernelEntry.Parse("qemu-x86_64", X8664Text);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Enabled, Is.True);
            Assert.That(entry.Entry.Flags, Is.EqualTo(BinfmtFlags.OpenBinary | BinfmtFlags.Credentials | BinfmtFlags.FixBinary));
            Assert.That(entry.ToProcText(), Is.EqualTo(X8664Text));
            Assert.That(KernelEntry.Parse("qemu-x86_64", X8664Text.Replace("flags: OCF", "flags: ")).Entry.Flags, Is.EqualTo(BinfmtFlags.None));
        });
    }

    [Test]
    public void Holds_compares_the_magic_under_the_mask_as_a_kernel_may_show_it_either_way()
    {
        var wanted = X8664(BinfmtFlags.OpenBinary | BinfmtFlags.Credentials | BinfmtFlags.FixBinary);
        var masked = X8664Text.Replace("magic 7f454c4602010100", "magic 7f454c4602000000");
        Assert.Multiple(() =>
        {
            Assert.That(KernelEntry.Parse("qemu-x86_64", X8664Text).Holds(wanted), Is.True);
            Assert.That(KernelEntry.Parse("qemu-x86_64", masked).Holds(wanted), Is.True, "AND-ed with the mask: the same entry");
            Assert.That(KernelEntry.Parse("qemu-x86_64", X8664Text.Replace("3e00\n", "3f00\n")).Holds(wanted), Is.False, "another e_machine");
            Assert.That(KernelEntry.Parse("qemu-x86_64", X8664Text).Holds(X8664(BinfmtFlags.FixBinary)), Is.False, "other flags");
            Assert.That(KernelEntry.Parse("qemu-x86_64", X8664Text.Replace("fffefe00", "ffffff00")).Holds(wanted), Is.False, "other mask");
        });
    }

    [Test]
    public void Reads_extension_entries_and_rejects_what_is_no_entry()
    {
        var python = KernelEntry.Parse("python", "disabled\ninterpreter /usr/bin/python3\nflags: \nextension .pyc\n");
        Assert.Multiple(() =>
        {
            Assert.That(python.Enabled, Is.False);
            Assert.That(python.Entry.Type, Is.EqualTo(BinfmtEntryType.Extension));
            Assert.That(python.ToProcText(), Is.EqualTo("disabled\ninterpreter /usr/bin/python3\nflags: \nextension .pyc\n"));
            Assert.Throws<FormatException>(() => KernelEntry.Parse("x", "hello\n"));
            Assert.Throws<FormatException>(() => KernelEntry.Parse("x", "enabled\nflags: F\n"));
        });
    }
}
