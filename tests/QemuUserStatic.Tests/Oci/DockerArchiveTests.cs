using QemuUserStatic.Archives;
using QemuUserStatic.Architectures;
using QemuUserStatic.Oci;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Oci;

/// <summary>
/// The docker-archive written for <c>docker load</c>, read back by GNU tar: manifest.json as Docker reads it, the
/// layout's own blobs under their digests, the platform asked for, and the same bytes for the same image.
/// </summary>
[Category("Unit")]
public sealed class DockerArchiveTests
{
    private static readonly DateTimeOffset Mtime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly OciPlatform Amd64 = new("linux", "amd64");
    private static readonly OciPlatform Arm64 = new("linux", "arm64");

    [Test]
    public async Task NamesTheConfigTheTagsAndTheLayersOfThePlatformAskedFor()
    {
        using var work = new TempDir("qus-docker-archive");
        var (layout, layers) = await TwoPlatformLayoutAsync(work["layout"]);
        var image = await BaseImage.FromLayout($"oci:{layout.Root}:both").ForPlatformAsync(Arm64, CancellationToken.None);

        var archive = DockerArchive.Of(image, ["qus/image:arm64", "localhost:5000/qus/image:other"]);
        var file = await WriteAsync(archive, work["image.tar"]);
        var config = layout.ReadJson(image.Manifest, OciJson.Context.ImageManifest).Config;
        string Entry(Descriptor blob) => "blobs/sha256/" + OciDigest.Hex(blob.Digest);

        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Encoding.UTF8.GetString(archive.ManifestJson.Span), Is.EqualTo(
                $"[{{\"Config\":\"{Entry(config)}\",\"RepoTags\":[\"qus/image:arm64\",\"localhost:5000/qus/image:other\"]," +
                $"\"Layers\":[\"{Entry(layers["shared"])}\",\"{Entry(layers["arm64"])}\",\"{Entry(layers["shared"])}\"]}}]"));
            Assert.That(archive.Config, Is.EqualTo(config));
            Assert.That(image.Config.Platform, Is.EqualTo(Arm64));
            // The shared layer is listed twice but stored once; the amd64 image's blobs are not in it.
            Assert.That(ToolProcess.ShellOrThrow($"tar -tf '{file}'").Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                "blobs/", "blobs/sha256/", Entry(config), Entry(layers["shared"]), Entry(layers["arm64"]), "manifest.json",
            }));
            foreach (var blob in new[] { config, layers["shared"], layers["arm64"] })
            {
                Assert.That(ToolProcess.ShellOrThrow($"tar -xOf '{file}' '{Entry(blob)}' | sha256sum | cut -d' ' -f1").Trim(),
                    Is.EqualTo(OciDigest.Hex(blob.Digest)), $"{Entry(blob)} holds the layout's bytes");
            }

            Assert.That(ToolProcess.ShellOrThrow($"tar -xOf '{file}' manifest.json"), Is.EqualTo(System.Text.Encoding.UTF8.GetString(archive.ManifestJson.Span)));
        });
    }

    [Test]
    public async Task TheSameImageAndTagsGiveTheSameBytesWithFixedOwnersModesAndTimes()
    {
        using var work = new TempDir("qus-docker-archive");
        var first = await ArchiveAsync(work["one"], work["one.tar"], Amd64);
        var second = await ArchiveAsync(work["two"], work["two.tar"], Amd64);
        var listing = ToolProcess.ShellOrThrow($"tar --numeric-owner --full-time -tvf '{first}'").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(second), Is.EqualTo(File.ReadAllBytes(first)), "another layout of the same content");
            Assert.That(listing.Where(l => l.StartsWith('-')), Has.All.Match(@"^-rw-r--r-- 0/0 +\d+ 1970-01-01 00:00:00 "));
            Assert.That(listing.Where(l => l.StartsWith('d')), Has.All.Match(@"^drwxr-xr-x 0/0 +0 1970-01-01 00:00:00 "));
            Assert.That(listing, Has.Length.EqualTo(6), "two folders, the config, two layers, manifest.json");
        });
    }

    [Test]
    public async Task AnImageForAnotherPlatformIsNotArchived()
    {
        using var work = new TempDir("qus-docker-archive");
        var (layout, _) = await TwoPlatformLayoutAsync(work["layout"]);

        Assert.That(async () => await BaseImage.FromLayout($"oci:{layout.Root}:arm64", "image", "image").ForPlatformAsync(Amd64, CancellationToken.None),
            Throws.InstanceOf<QemuUserStatic.Cli.UserException>().With.Message.EqualTo($"image oci:{layout.Root}:arm64 is a linux/arm64 image; linux/amd64 is needed"));
    }

    private static async Task<string> ArchiveAsync(string folder, string file, OciPlatform platform)
    {
        var (layout, _) = await TwoPlatformLayoutAsync(folder);
        var image = await BaseImage.FromLayout($"oci:{layout.Root}:both").ForPlatformAsync(platform, CancellationToken.None);
        return await WriteAsync(DockerArchive.Of(image, ["qus/image:latest"]), file);
    }

    private static async Task<string> WriteAsync(DockerArchive archive, string file)
    {
        await using (var output = File.Create(file))
        {
            await archive.WriteAsync(output, CancellationToken.None);
        }

        return file;
    }

    // An index over an amd64 and an arm64 image (tagged both, amd64, arm64); the arm64 one lists its shared layer twice.
    private static async Task<(OciLayout Layout, Dictionary<string, Descriptor> Layers)> TwoPlatformLayoutAsync(string folder)
    {
        var layout = await OciLayout.CreateAsync(folder);
        async Task<Layer> LayerAsync(string name) =>
            await Layer.WriteAsync(layout, [LayerFile.FromBytes($"etc/{name}", System.Text.Encoding.UTF8.GetBytes(name), ReproducibleTar.Regular)], Mtime, CancellationToken.None);
        var shared = await LayerAsync("shared");
        var layers = new Dictionary<string, Descriptor> { ["shared"] = shared.Blob };
        var manifests = new List<Descriptor>();
        foreach (var platform in new[] { Amd64, Arm64 })
        {
            var own = await LayerAsync(platform.Architecture);
            layers[platform.Architecture] = own.Blob;
            Layer[] stack = platform == Arm64 ? [shared, own, shared] : [shared, own];
            var config = layout.WriteJson(
                new ImageConfig { Architecture = platform.Architecture, Os = platform.Os, RootFs = new RootFs { DiffIds = [.. stack.Select(l => l.DiffId)] } },
                OciJson.Context.ImageConfig, MediaTypes.ImageConfig);
            var manifest = layout.WriteJson(new ImageManifest { Config = config, Layers = [.. stack.Select(l => l.Blob)] }, OciJson.Context.ImageManifest, MediaTypes.ImageManifest);
            manifests.Add(manifest with { Platform = platform });
            await layout.TagAsync(manifest, platform.Architecture);
        }

        var index = layout.WriteJson(new ImageIndex { Manifests = manifests }, OciJson.Context.ImageIndex, MediaTypes.ImageIndex);
        await layout.TagAsync(index, "both");
        return (layout, layers);
    }
}
