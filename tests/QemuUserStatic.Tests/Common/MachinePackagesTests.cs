using QemuUserStatic.Common;

namespace QemuUserStatic.Tests.Common;

/// <summary>
/// <see cref="MachinePackages"/> asking this machine's real dpkg which packages are installed, and what it leaves when
/// it may not install (the access given, not found out): nothing is tried, the missing ones are named.
/// </summary>
[Category("Unit")]
public class MachinePackagesTests
{
    [Test]
    public async Task Dpkg_names_the_installed_ones_and_the_rest_are_absent_in_their_order()
    {
        var absent = await MachinePackages.AbsentAsync(["qus-no-such-package", "dpkg", "coreutils", "gcc-qus-none-linux-gnu"], CancellationToken.None);

        Assert.That(absent, Is.EqualTo(new[] { "qus-no-such-package", "gcc-qus-none-linux-gnu" }));
    }

    [Test]
    public async Task Without_access_nothing_is_installed_and_the_missing_ones_are_named()
    {
        var said = new List<string>();

        var state = await new MachinePackages(AptAccess.None).EnsureAsync(["dpkg", "qus-no-such-package"], recommends: false, said.Add, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(state.Complete, Is.False);
            Assert.That(state.Missing, Is.EqualTo(new[] { "qus-no-such-package" }));
            Assert.That(state.InstallError, Is.Null, "not tried");
            Assert.That(said, Is.Empty, "no 'installing' said");
            Assert.That(state.Problem, Is.EqualTo("missing Debian packages: qus-no-such-package (apt-get install them, or run as root or with password-less sudo)"));
        });
    }

    [Test]
    public async Task Installed_packages_need_no_access()
    {
        var said = new List<string>();

        // Root access given: were anything absent, apt-get would run; nothing is, so nothing runs.
        var state = await new MachinePackages(AptAccess.Root).EnsureAsync(["dpkg", "coreutils", "dpkg"], recommends: true, said.Add, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(state.Complete, Is.True);
            Assert.That(said, Is.Empty);
        });
    }
}
