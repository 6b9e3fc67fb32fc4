using QemuUserStatic.Packages;
using QemuUserStatic.Tarballs;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>QEMU, package and tag versions from Fedora, Debian and folder inputs.</summary>
[Category("Unit")]
public class ReleaseVersionTests
{
    [TestCase("7.2.0", "1.fc38", null, "7.2.0", "7.2.0-1.fc38", "7.2.0-1")]
    [TestCase("8.1.0", "0.1.rc2.fc39", "2", "8.1.0", "8.1.0-0.1.rc2.fc39", "8.1.0-0.1.rc2")]
    [TestCase("6.2.0", "5.el9_2", null, "6.2.0", "6.2.0-5.el9_2", "6.2.0-5")]
    [TestCase("5.2.0", "1", null, "5.2.0", "5.2.0-1", "5.2.0-1")]
    public void Fedora(string version, string release, string? epoch, string qemu, string package, string tag) =>
        Assert.That(ReleaseVersion.Of(Package(PackageFormat.Rpm, epoch, version, release)), Is.EqualTo(new ReleaseVersion(qemu, package, tag)));

    [TestCase("1", "7.2+dfsg", "7+deb12u18+b3", "7.2", "1:7.2+dfsg-7+deb12u18+b3", "7.2-7-deb12u18-b3")]
    [TestCase("1", "8.0~rc2+dfsg", "1", "8.0~rc2", "1:8.0~rc2+dfsg-1", "8.0-rc2-1")]
    [TestCase(null, "9.1.0", "", "9.1.0", "9.1.0", "9.1.0")]
    public void Debian(string? epoch, string version, string revision, string qemu, string package, string tag) =>
        Assert.That(ReleaseVersion.Of(Package(PackageFormat.Deb, epoch, version, revision)), Is.EqualTo(new ReleaseVersion(qemu, package, tag)));

    [Test]
    public void Folder_uses_the_version_its_emulators_print() =>
        Assert.That(ReleaseVersion.Of(Package(PackageFormat.Folder, null, "7.2.22", "")), Is.EqualTo(new ReleaseVersion("7.2.22", "7.2.22", "7.2.22")));

    [TestCase("")]
    [TestCase("-1")]
    public void A_version_that_makes_no_tag_is_refused(string version) =>
        Assert.Throws<InvalidDataException>(() => ReleaseVersion.ToTag(version));

    [Test]
    public void Tags_are_at_most_128_characters() =>
        Assert.Throws<InvalidDataException>(() => ReleaseVersion.ToTag(new string('1', 129)));

    private static PackageIdentity Package(PackageFormat format, string? epoch, string version, string release) =>
        new("x", format, "qemu-user-static", epoch, version, release, "x86_64", null, 1, new string('0', 64));
}
