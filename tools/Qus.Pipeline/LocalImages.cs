using QemuUserStatic.Archives;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Guests;
using QemuUserStatic.Oci;

namespace Qus.Pipeline;

/// <summary>
/// The base and the guest the local run makes instead of pulling them from Docker Hub: busybox images of Debian's
/// busybox-static (<see cref="BusyboxImage"/>), cached in <paramref name="cache"/> with the packages they are made of.
/// The packages come from trixie, the stable release that builds every official architecture, else sid
/// (<c>QUS_DEBIAN_MIRROR</c>, default Debian's own mirror).
/// </summary>
internal sealed class LocalImages(string cache, string mirror)
{
    /// <summary>
    /// A layout of busybox for <paramref name="architectures"/>: for one, its image tagged latest; for several, each
    /// tagged by its name and an index over them tagged latest. With <paramref name="witness"/>, each image has
    /// <see cref="EuidWitness"/> on its PATH. Returns the reference <c>oci:DIR:latest</c>.
    /// </summary>
    public async Task<string> BusyboxAsync(IReadOnlyList<string> architectures, bool witness, CancellationToken cancellationToken)
    {
        var images = new List<BusyboxPlatform>();
        foreach (var name in architectures)
        {
            var arch = ArchitectureTable.Get(name, "host");
            var debian = ArchitectureTable.DebianArch(arch.Name);
            if (debian is null || arch.Platform is not { } platform)
            {
                throw new UserException($"Debian has no architecture for {arch.Name}: give --base/--guest-image");
            }

            var deb = await DebianDownload.FromSuiteAsync("busybox-static", debian, suite: null, cache, mirror, cancellationToken);
            IReadOnlyList<LayerFile> extra = witness
                ? [LayerFile.FromBytes($"usr/bin/{EuidWitness.Name}", await EuidWitness.BuildAsync($"{arch.Name}-linux-gnu", cancellationToken), ReproducibleTar.Executable)]
                : [];
            images.Add(new BusyboxPlatform(architectures.Count == 1 ? "latest" : arch.Name, platform, deb, extra));
        }

        var indexTag = architectures.Count == 1 ? null : "latest";
        var folder = Path.Combine(cache, "busybox-" + BusyboxImage.Key(images, indexTag));
        await BusyboxImage.WriteAsync(folder, images, indexTag, cancellationToken);
        return $"oci:{folder}:latest";
    }
}
