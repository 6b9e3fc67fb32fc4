using QemuUserStatic.Common;

namespace QemuUserStatic.Tests.Binfmt;

[Category("Unit")]
public class PrintableTextTests
{
    [TestCase("qemu-aarch64", "qemu-aarch64")]
    [TestCase("a b~", "a b~")]
    [TestCase("qemu-\u001b[2J\u0007", "qemu-\\x1b[2J\\x07")]
    [TestCase("line\nforged", "line\\x0aforged")]
    [TestCase("back\\slash", "back\\x5cslash")]
    [TestCase("caf\u00e9\u202e", "caf\\xc3\\xa9\\xe2\\x80\\xae")]
    public void Escapes_every_byte_outside_printable_ASCII_and_the_backslash(string text, string shown) =>
        Assert.Multiple(() =>
        {
            Assert.That(PrintableText.Escape(text), Is.EqualTo(shown));
            Assert.That(PrintableText.IsPlain(text), Is.EqualTo(text == shown));
        });
}
