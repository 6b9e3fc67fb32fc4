using System.Text.Json.Nodes;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Images;

/// <summary>qus-images run as a real process on one x86_64 host folder, checked with skopeo, umoci, tar and Docker.</summary>
[NonParallelizable]
public sealed class ImagesToolTests
{
    private const string Source = "https://github.com/qemu-user-static-cs/qemu-user-static";
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";
    private const string SbomPath = "usr/share/doc/qemu-user-static/sbom.spdx.json";
    private const string SbomLabel = "io.github.qemu-user-static-cs.sbom";
    private TempDir work = null!;
    private string input = null!;
    private string layout = null!;
    private ProcessResult build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        work = new TempDir("qus-images");
        input = ImageLayouts.X86Input;
        layout = work["layout"];
        build = Images(layout);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
    }

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [Test]
    public void WritesEveryTagOfTheOriginalWithTheSameNames()
    {
        string[] expected =
        [
            "7.2.0-1", "aarch64", "aarch64-7.2.0-1", "latest", "register", "riscv64", "riscv64-7.2.0-1",
            "x86_64-aarch64", "x86_64-aarch64-7.2.0-1", "x86_64-riscv64", "x86_64-riscv64-7.2.0-1",
        ];
        var tags = OciInspect.Tags(layout);
        var printed = build.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);

        Assert.Multiple(() =>
        {
            Assert.That(tags.Keys, Is.EqualTo(expected));
            Assert.That(printed, Is.EquivalentTo(tags));
            Assert.That(tags["aarch64"], Is.EqualTo(tags["x86_64-aarch64"]).And.EqualTo(tags["x86_64-aarch64-7.2.0-1"]).And.EqualTo(tags["aarch64-7.2.0-1"]));
            Assert.That(tags["latest"], Is.EqualTo(tags["7.2.0-1"]));
            Assert.That(tags.Values.Distinct().Count(), Is.EqualTo(4));
            Assert.That(File.ReadAllText(Path.Combine(layout, "oci-layout")), Does.Contain("\"imageLayoutVersion\":\"1.0.0\""));
        });
        foreach (var tag in expected)
        {
            Assert.That(OciInspect.Raw($"oci:{layout}:{tag}").Digest, Is.EqualTo(tags[tag]), tag);
        }

        // umoci reads the layout with its own OCI implementation, checking every blob it touches.
        ToolProcess.ShellOrThrow($"umoci stat --image '{layout}:x86_64-aarch64' && umoci stat --image '{layout}:latest'");
    }

    [Test]
    public void AnEmulatorImageIsItsReproducibleEmulatorLayerAndTheSbomFromScratch()
    {
        var (manifest, _) = OciInspect.Raw($"oci:{layout}:x86_64-aarch64");
        var config = OciInspect.Config($"oci:{layout}:x86_64-aarch64");
        var layers = OciInspect.Layers(manifest);
        Assert.That(layers, Has.Count.EqualTo(2), "the emulator's layer, then the SBOM's");
        var layer = OciInspect.Blob(layout, layers[0]);
        var listing = ToolProcess.ShellOrThrow($"tar --numeric-owner --full-time -tvzf '{layer}'");
        var extracted = work["extracted"];
        Directory.CreateDirectory(extracted);
        ToolProcess.ShellOrThrow($"tar -xzf '{layer}' -C '{extracted}'");

        Assert.Multiple(() =>
        {
            Assert.That(manifest["mediaType"]!.GetValue<string>(), Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
            Assert.That(manifest["layers"]![0]!["mediaType"]!.GetValue<string>(), Is.EqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
            Assert.That(config["architecture"]!.GetValue<string>(), Is.EqualTo("amd64"));
            Assert.That(config["os"]!.GetValue<string>(), Is.EqualTo("linux"));
            Assert.That(config["created"]!.GetValue<string>(), Is.EqualTo("2023-11-14T22:13:20Z"));
            Assert.That(config["config"]!["Env"], Is.Null, "FROM scratch");
            Assert.That(config["config"]!["Entrypoint"], Is.Null, "FROM scratch");
            Assert.That(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]),
                Is.EqualTo(new[] { "usr/", "usr/bin/", "usr/bin/qemu-aarch64-static" }));
            Assert.That(listing, Does.Contain("-rwxr-xr-x 0/0").And.Contain("2023-11-14 22:13:20").And.Not.Contain("1000/"));
            Assert.That(File.ReadAllBytes(Path.Combine(extracted, "usr/bin/qemu-aarch64-static")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(input, "qemu-aarch64-static"))));
            Assert.That(File.ReadAllBytes(layer)[4..8], Is.EqualTo(new byte[4]), "gzip header without a timestamp");
        });
        AssertLabels(config, "qemu-aarch64-static");
    }

    [Test]
    public void LatestReusesThePerTargetLayersAndAddsRegisterOnTheBase()
    {
        var latest = OciInspect.Raw($"oci:{layout}:latest").Json;
        var register = OciInspect.Raw($"oci:{layout}:register").Json;
        var baseManifest = OciInspect.Raw($"oci:{BusyboxBase.Layout}:amd64").Json;
        var aarch64 = OciInspect.Layers(OciInspect.Raw($"oci:{layout}:x86_64-aarch64").Json)[0];
        var riscv64Layers = OciInspect.Layers(OciInspect.Raw($"oci:{layout}:x86_64-riscv64").Json);
        var (riscv64, sbom) = (riscv64Layers[0], riscv64Layers[1]);
        var config = OciInspect.Config($"oci:{layout}:latest");
        var baseLayers = OciInspect.Layers(baseManifest);
        // Each image's /register: latest's registers what it carries by default, register's every target.
        string Script(JsonNode manifest) =>
            ToolProcess.ShellOrThrow($"tar -xzOf '{OciInspect.Blob(layout, OciInspect.Layers(manifest)[baseLayers.Count])}' register");

        Assert.Multiple(() =>
        {
            Assert.That(OciInspect.Layers(latest), Is.EqualTo(baseLayers.Concat([OciInspect.Layers(latest)[baseLayers.Count], aarch64, riscv64, sbom])));
            Assert.That(Script(latest), Is.EqualTo(QemuUserStatic.Binfmt.RegisterScript.Render(new() { Carried = ["aarch64", "riscv64"] })));
            Assert.That(Script(register), Is.EqualTo(QemuUserStatic.Binfmt.RegisterScript.Render()));
            Assert.That(OciInspect.Layers(register).Take(baseLayers.Count), Is.EqualTo(baseLayers));
            Assert.That(OciInspect.Layers(register), Has.Count.EqualTo(baseLayers.Count + 1));
            Assert.That(config["config"]!["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "/register" }));
            Assert.That(config["config"]!["Cmd"], Is.Null, "the base's CMD must not become /register's arguments");
            Assert.That(config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()), Does.Contain("QEMU_BIN_DIR=/usr/bin").And.Contain("PATH=/usr/bin:/bin"));
            Assert.That(config["rootfs"]!["diff_ids"]!.AsArray(), Has.Count.EqualTo(baseLayers.Count + 4));
            Assert.That(latest["annotations"]!["org.opencontainers.image.base.digest"]!.GetValue<string>(), Is.EqualTo(BusyboxBase.ManifestDigests["amd64"]));
            // Each emulator is stored once in the layout, however many tags use it.
            Assert.That(Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Count(f => new FileInfo(f).Length > 2_000_000), Is.EqualTo(2));
        });
        AssertLabels(config, "qemu-user-static");
    }

    [TestCase("x86_64-aarch64")]
    [TestCase("x86_64-riscv64-7.2.0-1")]
    [TestCase("latest")]
    [TestCase("7.2.0-1")]
    public void EveryImageWithEmulatorsCarriesTheFoldersSbomAndALabelWithItsDigest(string tag)
    {
        var sbom = File.ReadAllBytes(Path.Combine(input, "sbom.spdx.json"));
        var manifest = OciInspect.Raw($"oci:{layout}:{tag}").Json;
        var config = OciInspect.Config($"oci:{layout}:{tag}");
        var layer = OciInspect.Blob(layout, OciInspect.Layers(manifest)[^1]);
        var listing = ToolProcess.ShellOrThrow($"tar --numeric-owner --full-time -tvzf '{layer}'");
        var extracted = work[$"sbom-{tag}"];
        Directory.CreateDirectory(extracted);
        ToolProcess.ShellOrThrow($"tar -xzf '{layer}' -C '{extracted}'");
        var history = config["history"]!.AsArray().Where(h => h!["empty_layer"] is null).Last()!;

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(extracted, SbomPath)), Is.EqualTo(sbom));
            Assert.That(config["config"]!["Labels"]![SbomLabel]!.GetValue<string>(), Is.EqualTo($"/{SbomPath} sha256:{Sha256(sbom)}"));
            Assert.That(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]),
                Is.EqualTo(new[] { "usr/", "usr/share/", "usr/share/doc/", "usr/share/doc/qemu-user-static/", SbomPath }));
            Assert.That(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], Does.StartWith("-rw-r--r-- 0/0").And.Contain("2023-11-14 22:13:20"));
            Assert.That(history["created_by"]!.GetValue<string>(), Is.EqualTo("COPY sbom.spdx.json /usr/share/doc/qemu-user-static/ # qus-images"));
        });
    }

    [Test]
    public void TheRegisterImageCarriesNoSbom()
    {
        var config = OciInspect.Config($"oci:{layout}:register");
        var sbomLayer = OciInspect.Layers(OciInspect.Raw($"oci:{layout}:x86_64-aarch64").Json)[^1];

        Assert.Multiple(() =>
        {
            Assert.That(config["config"]!["Labels"]![SbomLabel], Is.Null);
            Assert.That(OciInspect.Layers(OciInspect.Raw($"oci:{layout}:register").Json), Does.Not.Contain(sbomLayer));
        });
    }

    [Test]
    public void AFolderWithoutAnSbomGivesImagesWithoutOne()
    {
        var older = work["no-sbom"];
        CopyFolder(input, older);
        File.Delete(Path.Combine(older, "sbom.spdx.json"));
        // As qus-tarballs wrote SHA256SUMS before it wrote an SBOM: without its line.
        var sums = Path.Combine(older, "SHA256SUMS");
        File.WriteAllLines(sums, File.ReadAllLines(sums).Where(l => !l.EndsWith("  sbom.spdx.json", StringComparison.Ordinal)));
        var output = work["no-sbom-out"];

        var result = ToolProcess.RunTool("Qus.Images", ["--input", older, "--output", output, "--base", BusyboxBase.Reference, "--tags", "x86_64-aarch64,latest"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var emulator = OciInspect.Layers(OciInspect.Raw($"oci:{output}:x86_64-aarch64").Json);
        var latest = OciInspect.Layers(OciInspect.Raw($"oci:{output}:latest").Json);
        var baseLayers = OciInspect.Layers(OciInspect.Raw($"oci:{BusyboxBase.Layout}:amd64").Json);

        Assert.Multiple(() =>
        {
            // The same emulator layer as with an SBOM, and nothing after it.
            Assert.That(emulator, Is.EqualTo(new[] { OciInspect.Layers(OciInspect.Raw($"oci:{layout}:x86_64-aarch64").Json)[0] }));
            Assert.That(latest, Has.Count.EqualTo(baseLayers.Count + 3));
            Assert.That(OciInspect.Config($"oci:{output}:x86_64-aarch64")["config"]!["Labels"]![SbomLabel], Is.Null);
            Assert.That(OciInspect.Config($"oci:{output}:latest")["config"]!["Labels"]![SbomLabel], Is.Null);
        });
    }

    [TestCase("symlink", "a symbolic link, not a regular file")]
    [TestCase("fifo", "a FIFO, not a regular file")]
    [TestCase("oversized", "4194305 bytes, more than the limit of 4194304 for an SBOM")]
    [TestCase("changed", "does not match SHA256SUMS")]
    [TestCase("unlisted", "not listed in SHA256SUMS")]
    [TestCase("huge-sums", "1048577 bytes, more than the limit of 1048576 for a SHA256SUMS")]
    public void ASbomThatIsNotWhatTheFolderVouchesForIsRefusedInOneLine(string problem, string message)
    {
        var folder = work[$"bad-sbom-{problem}"];
        CopyFolder(input, folder);
        var sbom = Path.Combine(folder, "sbom.spdx.json");
        var sums = Path.Combine(folder, "SHA256SUMS");
        switch (problem)
        {
            case "symlink":
                // The very bytes SHA256SUMS lists: only the link itself is wrong.
                File.Delete(sbom);
                File.CreateSymbolicLink(sbom, Path.Combine(input, "sbom.spdx.json"));
                break;
            case "fifo":
                File.Delete(sbom);
                ToolProcess.ShellOrThrow($"mkfifo '{sbom}'");
                break;
            case "oversized":
                File.WriteAllBytes(sbom, new byte[(4 * 1024 * 1024) + 1]);
                break;
            case "changed":
                var bytes = File.ReadAllBytes(sbom);
                bytes[100] ^= 0x20;
                File.WriteAllBytes(sbom, bytes);
                break;
            case "unlisted":
                File.WriteAllLines(sums, File.ReadAllLines(sums).Where(l => !l.EndsWith("  sbom.spdx.json", StringComparison.Ordinal)));
                break;
            default:
                File.AppendAllText(sums, new string('\n', (1024 * 1024) + 1 - (int)new FileInfo(sums).Length));
                break;
        }

        var output = work[$"bad-sbom-{problem}-out"];
        var result = ToolProcess.RunTool("Qus.Images", ["--input", folder, "--output", output, "--base", BusyboxBase.Reference]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError.Trim(), Does.Not.Contain('\n'), result.ToString());
            Assert.That(result.StandardError.Trim(), Does.StartWith($"qus-images: error: {(problem == "huge-sums" ? sums : sbom)}: ").And.Contain(message));
            Assert.That(Directory.Exists(output), Is.False);
        });
    }

    [Test]
    public void TheImagesRunInTheDockerEngine()
    {
        var name = $"qus-test-images-{Environment.ProcessId}";
        try
        {
            ToolProcess.ShellOrThrow($"skopeo copy -q 'oci:{layout}:x86_64-aarch64' 'docker-daemon:{name}:x86_64-aarch64'");
            ToolProcess.ShellOrThrow($"skopeo copy -q 'oci:{layout}:latest' 'docker-daemon:{name}:latest'");
            var version = ToolProcess.Shell($"docker run --rm --network none {name}:x86_64-aarch64 /usr/bin/qemu-aarch64-static --version");
            var contents = ToolProcess.Shell(
                $"docker run --rm --network none --entrypoint /bin/sh {name}:latest -c 'test -x /register && echo \"bin=$QEMU_BIN_DIR\" && ls /usr/bin && /usr/bin/qemu-riscv64-static --version'");
            var entrypoint = ToolProcess.ShellOrThrow($"docker image inspect --format '{{{{json .Config.Entrypoint}}}}' {name}:latest");
            // The README's ways to read the SBOM: cat in latest, docker cp out of a FROM scratch image, the label.
            var sbom = File.ReadAllText(Path.Combine(input, "sbom.spdx.json"));
            var catted = ToolProcess.Shell($"docker run --rm --network none --entrypoint cat {name}:latest /{SbomPath}");
            var copied = ToolProcess.Shell(
                $"id=$(docker create {name}:x86_64-aarch64 /usr/bin/qemu-aarch64-static) && docker cp \"$id:/{SbomPath}\" - | tar -xO; docker rm \"$id\" >/dev/null");
            var label = ToolProcess.ShellOrThrow($"docker image inspect --format '{{{{index .Config.Labels \"{SbomLabel}\"}}}}' {name}:x86_64-aarch64");

            Assert.Multiple(() =>
            {
                Assert.That(version.ExitCode, Is.Zero, version.ToString());
                Assert.That(version.StandardOutput, Does.StartWith("qemu-aarch64 version "));
                Assert.That(contents.ExitCode, Is.Zero, contents.ToString());
                Assert.That(contents.StandardOutput, Does.Contain("bin=/usr/bin").And.Contain("qemu-aarch64-static").And.Contain("qemu-riscv64 version"));
                Assert.That(entrypoint.Trim(), Is.EqualTo("[\"/register\"]"));
                Assert.That(catted.StandardOutput, Is.EqualTo(sbom), catted.ToString());
                Assert.That(copied.StandardOutput, Is.EqualTo(sbom), copied.ToString());
                Assert.That(label.Trim(), Is.EqualTo($"/{SbomPath} sha256:{Sha256(File.ReadAllBytes(Path.Combine(input, "sbom.spdx.json")))}"));
            });
        }
        finally
        {
            ToolProcess.Shell($"docker rmi -f {name}:x86_64-aarch64 {name}:latest");
        }
    }

    [Test]
    public void TwoBuildsOfTheSameInputsAreByteIdenticalAndTheEpochMatters()
    {
        var again = Images(work["again"]);
        var otherEpoch = Images(work["epoch"], environment: new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000001" });

        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            Assert.That(again.StandardOutput, Is.EqualTo(build.StandardOutput));
            Assert.That(File.ReadAllBytes(work["again/index.json"]), Is.EqualTo(File.ReadAllBytes(Path.Combine(layout, "index.json"))));
            Assert.That(Directory.GetFiles(work["again/blobs/sha256"]).Select(Path.GetFileName),
                Is.EquivalentTo(Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(Path.GetFileName)));
            Assert.That(otherEpoch.ExitCode, Is.Zero, otherEpoch.ToString());
            Assert.That(OciInspect.Tags(work["epoch"])["x86_64-aarch64"], Is.Not.EqualTo(OciInspect.Tags(layout)["x86_64-aarch64"]));
        });
    }

    [Test]
    public void BuildsASubsetWithAnotherVersionWithoutTouchingTheBase()
    {
        var result = Images(work["subset"], "--tags", "x86_64-aarch64-9.9,riscv64", "--tag-version", "9.9", "--base", "registry.invalid/none:latest");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var config = OciInspect.Config($"oci:{work["subset"]}:x86_64-aarch64-9.9");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(OciInspect.Tags(work["subset"]).Keys, Is.EquivalentTo(new[] { "riscv64", "x86_64-aarch64-9.9" }));
            Assert.That(config["config"]!["Labels"]!["org.opencontainers.image.version"]!.GetValue<string>(), Is.EqualTo("9.9"));
        });
    }

    [Test]
    public void JsonPrintsTheLayoutAndEveryTagWithItsDigestAsOneObject()
    {
        var result = Images(work["json"], "--tags", "x86_64-aarch64,riscv64", "--base", "registry.invalid/none:latest", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        var tags = json["tags"]!.AsArray().ToDictionary(t => t!["tag"]!.GetValue<string>(), t => t!["digest"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(json["layout"]!.GetValue<string>(), Is.EqualTo(work["json"]));
            Assert.That(tags, Is.EquivalentTo(OciInspect.Tags(work["json"])));
            Assert.That(tags.Keys, Is.EquivalentTo(new[] { "riscv64", "x86_64-aarch64" }));
            Assert.That(tags["x86_64-aarch64"], Is.EqualTo(OciInspect.Tags(layout)["x86_64-aarch64"]), "the same image as the full build");
            Assert.That(result.StandardError, Does.Contain($"x86_64-aarch64 {tags["x86_64-aarch64"]}"), "the lines stdout has otherwise");
        });
    }

    [Test]
    public void NamesEntriesForTheRepository()
    {
        var result = Images(work["named"], "--tags", "x86_64-aarch64", "--repository", "docker.io/polyarch/qemu-user-static");
        var entry = JsonNode.Parse(File.ReadAllText(work["named/index.json"]))!["manifests"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(entry["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>(), Is.EqualTo("x86_64-aarch64"));
            Assert.That(entry["annotations"]!["io.containerd.image.name"]!.GetValue<string>(), Is.EqualTo("docker.io/polyarch/qemu-user-static:x86_64-aarch64"));
        });
    }

    [Test]
    public void ATamperedBinaryFailsWithOneLineAndLeavesThePreviousLayout()
    {
        var tampered = work["tampered"];
        CopyFolder(input, tampered);
        // Same size, one byte changed: only the SHA-256 check can notice.
        using (var binary = File.Open(Path.Combine(tampered, "qemu-riscv64-static"), FileMode.Open))
        {
            binary.Position = 4096;
            var original = binary.ReadByte();
            binary.Position = 4096;
            binary.WriteByte((byte)(original ^ 0xff));
        }

        var output = work["kept"];
        Assert.That(Images(output, "--tags", "x86_64-aarch64").ExitCode, Is.Zero);
        var before = File.ReadAllBytes(Path.Combine(output, "index.json"));

        var result = ToolProcess.RunTool("Qus.Images", ["--input", tampered, "--output", output, "--base", BusyboxBase.Reference]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError.Trim().Split('\n')[^1], Does.StartWith("qus-images: error: ").And.Contain("qemu-riscv64-static: does not match its expected sha256"));
            Assert.That(result.StandardError, Does.Not.Contain("   at "));
            Assert.That(File.ReadAllBytes(Path.Combine(output, "index.json")), Is.EqualTo(before));
            Assert.That(Directory.GetDirectories(work.Path).Where(d => d.Contains(".partial-")), Is.Empty);
        });
    }

    [TestCase("no-manifest", "no-manifest: neither a qus-tarballs folder nor a folder of them (no manifest.json)")]
    [TestCase("not-layout", "exists and is not an OCI layout")]
    [TestCase("unknown-tag", "--tags: no tag 'x86_64-sparc'")]
    [TestCase("base-without-tag", "no tag 'nope'")]
    public void BadInputIsOneLineAndAnExitCode(string problem, string message)
    {
        var folder = work[problem];
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "a user's file");
        string[] args = problem switch
        {
            "no-manifest" => ["--input", folder, "--output", work[problem + "-out"]],
            "not-layout" => ["--input", input, "--output", folder],
            "unknown-tag" => ["--input", input, "--output", work[problem + "-out"], "--tags", "x86_64-sparc"],
            _ => ["--input", input, "--output", work[problem + "-out"], "--base", $"oci:{BusyboxBase.Layout}:nope"],
        };

        var result = ToolProcess.RunTool("Qus.Images", args);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(problem == "no-manifest" ? 2 : 1), result.ToString());
            Assert.That(result.StandardError.Trim().Split('\n')[^1], Does.StartWith("qus-images: error: ").And.Contain(message));
            Assert.That(result.StandardError, Does.Not.Contain("   at "));
            Assert.That(File.ReadAllText(Path.Combine(folder, "keep.txt")), Is.EqualTo("a user's file"));
            Assert.That(Directory.Exists(work[problem + "-out"]), Is.False);
        });
    }

    private ProcessResult Images(string output, params string[] extra) => Images(output, extra, null);

    private ProcessResult Images(string output, string[] extra, IDictionary<string, string?>? environment) =>
        ToolProcess.RunTool(
            "Qus.Images",
            ["--input", input, "--output", output, "--source", Source, "--revision", Revision,
                .. extra.Contains("--base") ? [] : new[] { "--base", BusyboxBase.Reference }, .. extra],
            environment);

    private ProcessResult Images(string output, IDictionary<string, string?> environment) => Images(output, [], environment);

    private static void AssertLabels(JsonNode config, string title)
    {
        var labels = config["config"]!["Labels"]!;
        Assert.Multiple(() =>
        {
            Assert.That(labels["org.opencontainers.image.title"]!.GetValue<string>(), Is.EqualTo(title));
            Assert.That(labels["org.opencontainers.image.version"]!.GetValue<string>(), Is.EqualTo(TarballsFolder.HostFolderTagVersion));
            Assert.That(labels["org.opencontainers.image.source"]!.GetValue<string>(), Is.EqualTo(Source));
            Assert.That(labels["org.opencontainers.image.revision"]!.GetValue<string>(), Is.EqualTo(Revision));
            Assert.That(labels["org.opencontainers.image.created"]!.GetValue<string>(), Is.EqualTo("2023-11-14T22:13:20Z"));
            Assert.That(labels["org.opencontainers.image.description"]!.GetValue<string>(), Is.Not.Empty);
        });
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
