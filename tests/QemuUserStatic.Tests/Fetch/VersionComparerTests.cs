using QemuUserStatic.Fetch;
using QemuUserStatic.Versions;

namespace QemuUserStatic.Tests.Fetch;

[Category("Unit")]
public class VersionComparerTests
{
    // Expected orders as dpkg --compare-versions and rpmdev-vercmp give them.
    [TestCase("1:7.2+dfsg-7+deb12u18+b3", "1:7.2+dfsg-7+deb12u18", 1)]
    [TestCase("1:7.2+dfsg-7+deb12u18", "1:7.2+dfsg-7+deb12u15", 1)]
    [TestCase("1:7.2+dfsg-7+deb12u9", "1:7.2+dfsg-7+deb12u15", -1)]
    [TestCase("1:8.0.0~rc1+dfsg-1", "1:8.0.0+dfsg-1", -1)]
    [TestCase("1:5.2+dfsg-1", "7.2+dfsg-1", 1)]
    [TestCase("1.0", "1.0-0", 0)]
    [TestCase("1.0a", "1.0", 1)]
    [TestCase("1.0~", "1.0", -1)]
    public void Debian_versions_order_like_dpkg(string x, string y, int expected)
    {
        Assert.That(Math.Sign(DebianVersionComparer.Instance.Compare(x, y)), Is.EqualTo(expected));
        Assert.That(Math.Sign(DebianVersionComparer.Instance.Compare(y, x)), Is.EqualTo(-expected));
    }

    [TestCase("7.2.0", "7.10.0", -1)]
    [TestCase("1.fc39", "1.fc38", 1)]
    [TestCase("9.0.0~rc2", "9.0.0", -1)]
    [TestCase("9.0.0^20240101", "9.0.0", 1)]
    [TestCase("9.0.0^20240101", "9.0.1", -1)]
    [TestCase("1.0a", "1.0", 1)]
    [TestCase("1.01", "1.1", 0)]
    [TestCase("2.a", "2.1", -1)]
    public void Rpm_versions_order_like_rpmvercmp(string x, string y, int expected)
    {
        Assert.That(Math.Sign(RpmVersionComparer.Instance.Compare(x, y)), Is.EqualTo(expected));
        Assert.That(Math.Sign(RpmVersionComparer.Instance.Compare(y, x)), Is.EqualTo(-expected));
    }

    [TestCase("9.0.0", "0.1.rc2.fc41", true)]
    [TestCase("9.0.0~rc2", "1.fc41", true)]
    [TestCase("9.0.0-rc0", null, true)]
    [TestCase("1:9.0.0~rc2+ds-1", null, true)]
    [TestCase("7.2.0", "1.fc38", false)]
    [TestCase("1:7.2+dfsg-7+deb12u18+b3", null, false)]
    [TestCase("8.2.0", "1.src", false)]
    public void Release_candidates_are_recognized(string version, string? release, bool expected) =>
        Assert.That(PreReleaseVersion.IsReleaseCandidate(version, release), Is.EqualTo(expected));
}
