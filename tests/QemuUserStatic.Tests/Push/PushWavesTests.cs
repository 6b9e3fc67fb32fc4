using QemuUserStatic.Oci;
using QemuUserStatic.Push;

namespace QemuUserStatic.Tests.Push;

[Category("Unit")]
public sealed class PushWavesTests
{
    private static readonly Descriptor LayerA = Blob('a', MediaTypes.LayerGzip, 3_000_000);
    private static readonly Descriptor LayerB = Blob('b', MediaTypes.LayerGzip, 2_000_000);

    [Test]
    public void TheLargestImageGoesFirstAndNoWaveWritesOneThingTwice()
    {
        var latest = Image('1', [LayerA, LayerB]);
        var aarch64 = Image('2', [LayerA]);
        var riscv64 = Image('3', [LayerB]);
        var tags = new Dictionary<string, IReadOnlyList<Descriptor>>
        {
            ["aarch64"] = aarch64, ["latest"] = latest, ["riscv64"] = riscv64, ["x86_64-aarch64"] = aarch64, ["x86_64-riscv64"] = riscv64,
        };

        var waves = PushWaves.Plan(tags.Keys.ToList(), t => tags[t]);

        Assert.Multiple(() =>
        {
            Assert.That(waves[0], Is.EqualTo(new[] { "latest" }), "latest uploads both layers, in one copy");
            Assert.That(waves.SelectMany(w => w), Is.EquivalentTo(tags.Keys));
            Assert.That(waves, Has.Count.EqualTo(3));
        });
        foreach (var wave in waves)
        {
            // Two copies of one wave never write the same manifest (aliases wait for each other).
            var manifests = wave.Select(t => tags[t][0].Digest).ToList();
            Assert.That(manifests, Is.Unique, string.Join(", ", wave));
        }
    }

    [Test]
    public void TwoImagesNeedingTheSameNewLayerAreNotCopiedTogether()
    {
        var first = Image('4', [LayerA]);
        var second = Image('5', [LayerA, LayerB]);
        var tags = new Dictionary<string, IReadOnlyList<Descriptor>> { ["one"] = first, ["two"] = second };

        var waves = PushWaves.Plan(tags.Keys.ToList(), t => tags[t]);

        Assert.That(waves, Is.EqualTo(new[] { new[] { "two" }, new[] { "one" } }));
    }

    private static IReadOnlyList<Descriptor> Image(char id, IReadOnlyList<Descriptor> layers) =>
        [Blob(id, MediaTypes.ImageManifest, 500), Blob((char)(id + 16), MediaTypes.ImageConfig, 800), .. layers];

    private static Descriptor Blob(char fill, string mediaType, long size) =>
        new() { MediaType = mediaType, Digest = "sha256:" + new string(fill, 64), Size = size };
}
