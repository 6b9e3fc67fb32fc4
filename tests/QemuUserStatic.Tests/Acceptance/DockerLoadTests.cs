using QemuUserStatic.Acceptance.Docker;
using QemuUserStatic.Architectures;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>
/// qus-test's loader on the real Docker engine: each platform of the multi-platform busybox base, streamed into
/// <c>docker load</c>, becomes an image whose ID is the layout's config digest, the same image skopeo (an independent
/// OCI implementation) loads, and it runs.
/// </summary>
[NonParallelizable]
public sealed class DockerLoadTests
{
    private readonly string repository = $"qus-test-load-{Environment.ProcessId}/busybox";

    [TearDown]
    public void RemoveImages() =>
        ToolProcess.Shell($"docker images --format '{{{{.Repository}}}}:{{{{.Tag}}}}' '{repository}' | xargs -r docker rmi -f >/dev/null");

    [TestCase("amd64")]
    [TestCase("arm64")]
    public async Task EachPlatformOfAnIndexLoadsAsTheLayoutsConfigDigestAsSkopeoLoadsIt(string architecture)
    {
        var name = $"{repository}:{architecture}";
        var (output, archive) = await DockerLoad.LayoutImageAsync(BusyboxBase.Reference, name, new OciPlatform("linux", architecture), CancellationToken.None);
        string Inspect(string image, string format) => ToolProcess.ShellOrThrow($"docker image inspect --format '{format}' '{image}'").Trim();
        var loaded = (Id: Inspect(name, "{{.Id}}"), Architecture: Inspect(name, "{{.Architecture}}"), Tags: Inspect(name, "{{json .RepoTags}}"));
        ToolProcess.ShellOrThrow($"skopeo copy -q --override-arch {architecture} '{BusyboxBase.Reference}' 'docker-daemon:{repository}:skopeo-{architecture}'");
        var bySkopeo = Inspect($"{repository}:skopeo-{architecture}", "{{.Id}}");
        var run = architecture == "amd64" ? ToolProcess.Shell($"docker run --rm --network none '{name}' echo loaded") : null;

        Assert.Multiple(() =>
        {
            Assert.That(output.Succeeded, Is.True, output.Transcript());
            Assert.That(output.StandardOutput.Trim(), Is.EqualTo($"Loaded image: {name}"));
            Assert.That(loaded.Id, Is.EqualTo(archive.Config.Digest), "the image ID is the config digest");
            Assert.That(loaded.Architecture, Is.EqualTo(architecture));
            Assert.That(loaded.Tags, Is.EqualTo($"[\"{name}\"]"));
            Assert.That(bySkopeo, Is.EqualTo(loaded.Id), "skopeo loads the same image");
            if (run is not null)
            {
                Assert.That((run.ExitCode, run.StandardOutput), Is.EqualTo((0, "loaded\n")), run.ToString());
            }
        });
    }

    [Test]
    public async Task ALayerDamagedInTheLayoutIsRefusedByDockerLoadAndLoadsNothing()
    {
        using var work = new TempDir("qus-docker-load");
        ToolProcess.ShellOrThrow($"cp -a '{BusyboxBase.Layout}/.' '{work["layout"]}'");
        var layout = QemuUserStatic.Oci.OciLayout.Open(work["layout"]);
        var source = $"oci:{layout.Root}:{BusyboxBase.Tag}";
        var amd64 = new OciPlatform("linux", "amd64");
        var image = await QemuUserStatic.Oci.BaseImage.FromLayout(source).ForPlatformAsync(amd64, CancellationToken.None);
        // One byte of the compressed layer changed, its size kept: the layout looks whole; what the layer holds is not what the config names.
        var blob = layout.BlobPath(image.Layers[^1].Digest);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(blob, bytes);
        var name = $"{repository}:damaged";

        var (output, _) = await DockerLoad.LayoutImageAsync(source, name, amd64, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(output.Succeeded, Is.False, output.Transcript());
            Assert.That(output.LastError, Does.Not.StartWith("exit code"), output.Transcript());
            Assert.That(ToolProcess.ShellOrThrow($"docker images -q '{name}'"), Is.Empty);
        });
    }

    [Test]
    public async Task AMissingBlobFailsBeforeDockerStartsAndLoadsNothing()
    {
        using var work = new TempDir("qus-docker-load");
        ToolProcess.ShellOrThrow($"cp -a '{BusyboxBase.Layout}/.' '{work["layout"]}'");
        var index = QemuUserStatic.Oci.OciLayout.Open(work["layout"]);
        var image = await QemuUserStatic.Oci.BaseImage.FromLayout($"oci:{index.Root}:amd64").ForPlatformAsync(new OciPlatform("linux", "amd64"), CancellationToken.None);
        File.Delete(index.BlobPath(image.Layers[^1].Digest));
        var name = $"{repository}:broken";

        Assert.Multiple(() =>
        {
            Assert.That(async () => await DockerLoad.LayoutImageAsync($"oci:{index.Root}:amd64", name, new OciPlatform("linux", "amd64"), CancellationToken.None),
                Throws.InstanceOf<QemuUserStatic.Cli.UserException>().With.Message.EqualTo(
                    $"image oci:{index.Root}:amd64: blob {image.Layers[^1].Digest} is missing from {index.Root}"));
            Assert.That(ToolProcess.ShellOrThrow($"docker images -q '{name}'"), Is.Empty);
        });
    }
}
