using System.Text.Json.Nodes;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Images;

/// <summary>qus-images on an x86_64-host and an aarch64-host folder: one image set, indexes per host platform.</summary>
[NonParallelizable]
public sealed class MultiHostImagesTests
{
    private readonly TempDir work = new("qus-images-multi");
    private readonly string x86 = ImageLayouts.X86Input;
    private readonly string arm = ImageLayouts.Arm64Input;
    private readonly string layout = ImageLayouts.MultiHost;

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [TestCase("latest", "linux/amd64", "linux/arm64/v8")]
    [TestCase("7.2.0-1", "linux/amd64", "linux/arm64/v8")]
    [TestCase("register", "linux/amd64", "linux/arm64/v8")]
    [TestCase("riscv64", "linux/amd64", "linux/arm64/v8")]
    [TestCase("riscv64-7.2.0-1", "linux/amd64", "linux/arm64/v8")]
    [TestCase("aarch64", "linux/amd64")]
    [TestCase("x86_64-7.2.0-1", "linux/arm64/v8")]
    public void SharedTagsAreIndexesWithOneManifestPerHostPlatform(string tag, params string[] platforms)
    {
        var index = OciInspect.Raw($"oci:{layout}:{tag}").Json;
        var entries = index["manifests"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(index["mediaType"]!.GetValue<string>(), Is.EqualTo("application/vnd.oci.image.index.v1+json"));
            Assert.That(entries.Select(Platform), Is.EquivalentTo(platforms));
        });
        foreach (var entry in entries)
        {
            // Each entry's config states the platform the index claims for it.
            var manifest = JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, entry!["digest"]!.GetValue<string>())))!;
            var config = JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, manifest["config"]!["digest"]!.GetValue<string>())))!;
            Assert.That(Platform(config), Is.EqualTo(Platform(entry)), tag);
        }
    }

    [TestCase("x86_64-aarch64", "amd64")]
    [TestCase("x86_64-riscv64-7.2.0-1", "amd64")]
    [TestCase("aarch64-x86_64", "arm64")]
    [TestCase("aarch64-riscv64", "arm64")]
    public void HostTargetTagsStaySinglePlatform(string tag, string architecture)
    {
        var manifest = OciInspect.Raw($"oci:{layout}:{tag}").Json;
        var config = OciInspect.Config($"oci:{layout}:{tag}");

        Assert.Multiple(() =>
        {
            Assert.That(manifest["mediaType"]!.GetValue<string>(), Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
            Assert.That(config["architecture"]!.GetValue<string>(), Is.EqualTo(architecture));
        });
    }

    [Test]
    public void EachHostsLatestStandsOnThatHostsBase()
    {
        var index = OciInspect.Raw($"oci:{layout}:latest").Json;
        var bases = index["manifests"]!.AsArray().ToDictionary(
            e => e!["platform"]!["architecture"]!.GetValue<string>(),
            e => JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, e!["digest"]!.GetValue<string>())))!["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());

        Assert.That(bases, Is.EquivalentTo(BusyboxBase.ManifestDigests));
    }

    [Test]
    public void EachHostsImagesCarryThatHostsSbom()
    {
        var expected = new Dictionary<string, string>
        {
            ["amd64"] = Sha256Hex.OfFile(Path.Combine(x86, SpdxDocument.FileName)),
            ["arm64"] = Sha256Hex.OfFile(Path.Combine(arm, SpdxDocument.FileName)),
        };
        var index = OciInspect.Raw($"oci:{layout}:latest").Json;
        var labels = index["manifests"]!.AsArray().ToDictionary(
            e => e!["platform"]!["architecture"]!.GetValue<string>(),
            e =>
            {
                var manifest = JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, e!["digest"]!.GetValue<string>())))!;
                var config = JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, manifest["config"]!["digest"]!.GetValue<string>())))!;
                return config["config"]!["Labels"]!["io.github.qemu-user-static-cs.sbom"]!.GetValue<string>();
            });
        var arm64Emulator = OciInspect.Config($"oci:{layout}:aarch64-riscv64")["config"]!["Labels"]!["io.github.qemu-user-static-cs.sbom"]!.GetValue<string>();

        Assert.Multiple(() =>
        {
            Assert.That(expected["amd64"], Is.Not.EqualTo(expected["arm64"]), "the two hosts' SBOMs differ");
            Assert.That(labels, Is.EquivalentTo(expected.ToDictionary(e => e.Key, e => $"/usr/share/doc/qemu-user-static/sbom.spdx.json sha256:{e.Value}")));
            Assert.That(arm64Emulator, Is.EqualTo(labels["arm64"]));
        });
    }

    [Test]
    public void TheAarch64HostsEmulatorRunsUnderEmulationAndDockerPicksTheAmd64One()
    {
        var bundle = work["bundle"];
        ToolProcess.ShellOrThrow($"umoci unpack --image '{layout}:aarch64-x86_64' '{bundle}' >/dev/null");
        // qemu-aarch64 refuses any ELF but aarch64, so this also proves which host the emulator is for.
        var emulated = ToolProcess.Shell($"qemu-aarch64-static '{bundle}/rootfs/usr/bin/qemu-x86_64-static' --version");
        var name = $"qus-test-multi-{Environment.ProcessId}";
        try
        {
            ToolProcess.ShellOrThrow($"skopeo copy -q 'oci:{layout}:riscv64' 'docker-daemon:{name}:riscv64'");
            var native = ToolProcess.Shell($"docker run --rm --network none {name}:riscv64 /usr/bin/qemu-riscv64-static --version");

            Assert.Multiple(() =>
            {
                Assert.That(emulated.ExitCode, Is.Zero, emulated.ToString());
                Assert.That(emulated.StandardOutput, Does.StartWith("qemu-x86_64 version "));
                Assert.That(native.ExitCode, Is.Zero, native.ToString());
                Assert.That(native.StandardOutput, Does.StartWith("qemu-riscv64 version "));
            });
        }
        finally
        {
            ToolProcess.Shell($"docker rmi -f {name}:riscv64");
        }
    }

    [Test]
    public void InputsWithDifferentVersionsNeedATagVersion()
    {
        var other = work["other-version"];
        Directory.CreateDirectory(other);
        foreach (var file in Directory.GetFiles(arm))
        {
            File.Copy(file, Path.Combine(other, Path.GetFileName(file)));
        }

        var manifest = ReleaseManifest.Load(arm) with { TagVersion = "8.0-1" };
        File.WriteAllBytes(Path.Combine(other, ReleaseManifest.FileName), manifest.ToJsonBytes());

        var refused = ImageLayouts.Build(work["refused"], ["--input", x86, "--input", other, "--tags", "riscv64"]);
        var chosen = ImageLayouts.Build(work["chosen"], ["--input", x86, "--input", other, "--tags", "riscv64-8.0", "--tag-version", "8.0"]);
        var twice = ImageLayouts.Build(work["twice"], ["--input", x86, "--input", x86]);

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.StandardError, Does.Contain("different versions (7.2.0-1, 8.0-1)").And.Contain("--tag-version"));
            Assert.That(chosen.ExitCode, Is.Zero, chosen.ToString());
            Assert.That(OciInspect.Tags(work["chosen"]).Keys, Is.EqualTo(new[] { "riscv64-8.0" }));
            Assert.That(twice.ExitCode, Is.EqualTo(1), twice.ToString());
            Assert.That(twice.StandardError, Does.Contain("two inputs for host x86_64"));
        });
    }

    private static string Platform(JsonNode? node)
    {
        var platform = node!["platform"] ?? node;
        var variant = platform!["variant"]?.GetValue<string>();
        var text = $"{platform["os"]!.GetValue<string>()}/{platform["architecture"]!.GetValue<string>()}";
        return variant is null ? text : $"{text}/{variant}";
    }
}
