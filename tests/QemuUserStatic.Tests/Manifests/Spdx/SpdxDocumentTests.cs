using System.Security.Cryptography;
using System.Text.Json.Nodes;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Manifests.Spdx;

/// <summary>
/// sbom.spdx.json of a real qus-tarballs run on Fedora-layout split RPMs: valid against the SPDX 2.3 JSON schema
/// (tests/QemuUserStatic.Tests/Manifests/Spdx/spdx-schema.json), every file with the digests recomputed here, byte-identical
/// across runs, and vouched for by SHA256SUMS.
/// </summary>
public class SpdxDocumentTests
{
    private static readonly JsonSchemaFile Schema = new(Repo.Under("tests", "QemuUserStatic.Tests", "Manifests", "Spdx", "spdx-schema.json"));
    private TempDir temp = null!;
    private IReadOnlyList<string> rpms = null!;
    private ProcessResult first = null!;
    private ProcessResult second = null!;

    [OneTimeSetUp]
    public void RunTwice()
    {
        temp = new TempDir("sbom");
        rpms = PackageFixtures.FedoraSplit(["aarch64", "riscv64"]);
        first = TarballsTool.Run(rpms, temp["one"]);
        second = TarballsTool.Run(rpms, temp["two"]);
    }

    [OneTimeTearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public void The_sbom_of_a_real_run_is_valid_SPDX_2_3()
    {
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var text = File.ReadAllText(Path.Combine(temp["one"], SpdxDocument.FileName));
        Assert.That(Schema.Errors(text), Is.Empty);
        var sbom = JsonNode.Parse(text)!;
        var manifest = ReleaseManifest.Load(temp["one"]);
        Assert.Multiple(() =>
        {
            Assert.That((string?)sbom["spdxVersion"], Is.EqualTo("SPDX-2.3"));
            Assert.That((string?)sbom["dataLicense"], Is.EqualTo("CC0-1.0"));
            Assert.That((string?)sbom["creationInfo"]!["created"], Is.EqualTo("2023-11-14T22:13:20Z"), "the packages' build time 1700000000");
            Assert.That((string?)sbom["documentNamespace"], Does.StartWith("https://spdx.org/spdxdocs/qemu-user-static-7.2.0-1-x86_64-"));
            var qemu = sbom["packages"]!.AsArray().Single(p => (string?)p!["name"] == "qemu")!;
            Assert.That((string?)qemu["versionInfo"], Is.EqualTo("7.2.0"));
            Assert.That((string?)qemu["licenseDeclared"], Is.EqualTo("GPL-2.0-only"));
            Assert.That(sbom["relationships"]!.AsArray().Select(r => (string?)r!["relationshipType"]).Distinct(),
                Is.EquivalentTo(new[] { "DESCRIBES", "CONTAINS", "GENERATED_FROM" }));
            Assert.That(manifest.Sources, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Every_emulator_tarball_and_source_package_appears_with_its_recomputed_digests()
    {
        var folder = temp["one"];
        var sbom = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SpdxDocument.FileName)))!;
        var listed = sbom["files"]!.AsArray().ToDictionary(
            f => (string)f!["fileName"]!,
            f => f!["checksums"]!.AsArray().ToDictionary(c => (string)c!["algorithm"]!, c => (string)c!["checksumValue"]!));
        var expected = Directory.GetFiles(folder).Select(Path.GetFileName)
            .Where(n => n is not (SpdxDocument.FileName or Sha256Sums.FileName or ReleaseManifest.FileName))
            .ToDictionary(n => $"./{n}", n => new Dictionary<string, string>
            {
                ["SHA1"] = Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(Path.Combine(folder, n!)))),
                ["SHA256"] = Sha256Hex.OfFile(Path.Combine(folder, n!)),
            });
        Assert.That(expected, Has.Count.EqualTo(6), "2 emulators, 2 tarballs each");
        Assert.That(listed, Is.EquivalentTo(expected));

        var sources = sbom["packages"]!.AsArray().Where(p => ((string)p!["SPDXID"]!).StartsWith("SPDXRef-Source-", StringComparison.Ordinal))
            .ToDictionary(p => (string)p!["packageFileName"]!, p => p!);
        Assert.That(sources.Keys, Is.EquivalentTo(rpms.Select(Path.GetFileName)));
        foreach (var rpm in rpms)
        {
            var source = sources[Path.GetFileName(rpm)];
            Assert.That((string?)source["checksums"]![0]!["checksumValue"], Is.EqualTo(Sha256Hex.OfFile(rpm)), rpm);
            Assert.That((string?)source["downloadLocation"], Is.EqualTo(
                $"https://kojipkgs.fedoraproject.org/packages/qemu/7.2.0/1.fc99/x86_64/{Path.GetFileName(rpm)}"), rpm);
            Assert.That((string?)source["externalRefs"]![0]!["referenceLocator"], Does.StartWith("pkg:rpm/fedora/qemu-user-static-").And.EndWith("@7.2.0-1.fc99?arch=x86_64"));
        }
    }

    [Test]
    public void Two_runs_give_byte_identical_sboms()
    {
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(File.ReadAllBytes(Path.Combine(temp["two"], SpdxDocument.FileName)),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(temp["one"], SpdxDocument.FileName))));
    }

    [Test]
    public void SHA256SUMS_lists_the_sbom_and_sha256sum_checks_it()
    {
        Assert.That(File.ReadAllLines(Path.Combine(temp["one"], Sha256Sums.FileName)),
            Does.Contain($"{Sha256Hex.OfFile(Path.Combine(temp["one"], SpdxDocument.FileName))}  {SpdxDocument.FileName}"));
        var check = ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: temp["one"]);
        Assert.That(check.ExitCode, Is.Zero, check.ToString());
    }

    [Test]
    public void The_schema_rejects_a_file_without_checksums_and_an_unknown_relationship()
    {
        var broken = JsonNode.Parse(File.ReadAllText(Path.Combine(temp["one"], SpdxDocument.FileName)))!;
        broken["files"]![0]!.AsObject().Remove("checksums");
        Assert.That(Schema.Errors(broken.ToJsonString()), Is.Not.Empty, "file without checksums");

        var relation = JsonNode.Parse(File.ReadAllText(Path.Combine(temp["one"], SpdxDocument.FileName)))!;
        relation["relationships"]![0]!["relationshipType"] = "BUILT_BY_MAGIC";
        Assert.That(Schema.Errors(relation.ToJsonString()), Is.Not.Empty, "unknown relationship type");
    }
}
