using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch.Debian;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>Against Debian's real mirror (reachable from this machine and CI): keeps the pin in qus.yml honest.</summary>
public class RealDebianMirrorTests
{
    [Test]
    public async Task The_version_pinned_in_qus_yml_is_on_the_mirror_for_every_configured_host()
    {
        var config = PipelineConfigLoader.LoadFile(Repo.Under("qus.yml"));
        using var harness = new FetchHarness();
        // Whether the pin is there, as the mirror serves it (signatures checked): a mirror copy whose sid InRelease has
        // passed its Valid-Until (as this machine's is) still says whether the pin is listed; qus-fetch refuses it.
        var source = new DebianRepository(harness.Downloader, config.Debian with { CheckValidUntil = false });

        // Only the Packages indexes are downloaded: resolving reads them, the pool files are not fetched.
        var packages = await source.ResolveAsync(config.Qemu!, config.Hosts, CancellationToken.None);

        Assert.That(packages.Select(p => p.HostArch), Is.EqualTo(config.Hosts));
        Assert.That(packages.Select(p => p.Version), Has.All.EqualTo(config.Qemu!.Full));
        Assert.That(packages.Select(p => p.Arch), Is.EqualTo(config.Hosts.Select(h => config.Origin.PackageArch(h))));
        Assert.That(packages.Select(p => p.Remote.Sha256), Has.All.Match("^[0-9a-f]{64}$"));
        Assert.That(packages.Select(p => p.Remote.Size), Has.All.GreaterThan(10_000_000), "the static emulators are tens of MB");
        Assert.That(packages.Select(p => p.Remote.Url.Host), Has.All.EqualTo(config.Debian.Mirror.Host));
    }
}
