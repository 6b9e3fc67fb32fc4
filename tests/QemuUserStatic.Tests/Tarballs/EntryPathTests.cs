using QemuUserStatic.Packages;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>The one gate every package entry name passes.</summary>
[Category("Unit")]
public class EntryPathTests
{
    [TestCase("./usr/bin/qemu-aarch64-static", "usr/bin/qemu-aarch64-static")]
    [TestCase("usr//bin/./x", "usr/bin/x")]
    [TestCase("./", "")]
    [TestCase(".", "")]
    public void Normalizes_relative_names(string raw, string expected) =>
        Assert.That(EntryPath.Normalize(raw), Is.EqualTo(expected));

    [TestCase("/etc/passwd", "absolute")]
    [TestCase("../etc/passwd", "'..'")]
    [TestCase("./usr/../../etc", "'..'")]
    [TestCase("usr/bin/x\0y", "NUL")]
    public void Refuses_unsafe_names(string raw, string problem) =>
        Assert.That(Assert.Throws<InvalidDataException>(() => EntryPath.Normalize(raw))!.Message, Does.Contain(problem));

    [TestCase("usr/libexec/qemu-binfmt/aarch64-binfmt-P", "../../bin/qemu-aarch64-static")]
    [TestCase("usr/share/man/man1/qemu-arm-static.1.gz", "qemu-user-static.1.gz")]
    [TestCase("usr/bin/x", "/etc/alternatives/x")]
    public void Accepts_links_that_stay_inside(string entry, string target) =>
        Assert.DoesNotThrow(() => EntryPath.CheckSymbolicLink(entry, target));

    [TestCase("usr/bin/x", "../../../etc/passwd")]
    [TestCase("x", "../x")]
    [TestCase("usr/bin/x", "")]
    public void Refuses_links_that_lead_outside(string entry, string target) =>
        Assert.Throws<InvalidDataException>(() => EntryPath.CheckSymbolicLink(entry, target));
}
