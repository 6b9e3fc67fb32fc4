using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Tests.Binfmt;

[Category("Unit")]
public class BinfmtEntryTests
{
    [Test]
    public void Register_line_round_trips()
    {
        var entry = ArchitectureTable.Get("aarch64").ToBinfmtEntry("/usr/bin/qemu-aarch64-static", BinfmtFlags.FixBinary);
        var line = entry.ToRegisterLine();
        Assert.That(line, Does.StartWith(@":qemu-aarch64:M::\x7f\x45\x4c\x46\x02").And.EndWith(":/usr/bin/qemu-aarch64-static:F"));
        Assert.That(BinfmtEntry.ParseRegisterLine(line).SameAs(entry), Is.True);
    }

    [Test]
    public void Parses_a_Fedora_binfmt_d_line_with_literal_ELF()
    {
        var entry = BinfmtEntry.ParseRegisterLine(
            @":qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:CF");
        Assert.Multiple(() =>
        {
            Assert.That(entry.Flags, Is.EqualTo(BinfmtFlags.OpenBinary | BinfmtFlags.Credentials | BinfmtFlags.FixBinary));
            Assert.That(entry.Flags.ToLetters(), Is.EqualTo("OCF"));
            Assert.That(entry.MagicHex, Is.EqualTo(Convert.ToHexStringLower(ArchitectureTable.Get("aarch64").Magic)));
            Assert.That(entry.Interpreter, Is.EqualTo("/usr/bin/qemu-aarch64-static"));
        });
    }

    [TestCase(":qemu-x:Q::\\x7f:\\xff:/i:")]
    [TestCase(":qemu-x:M::\\x7")]
    [TestCase(":qemu-x:M::\\x7f:\\xff:/i:Z")]
    public void Rejects_malformed_lines(string line) =>
        Assert.Throws<FormatException>(() => BinfmtEntry.ParseRegisterLine(line));
}
