using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Hostile;

/// <summary>
/// Issue 16, class 3: a base image (<c>qus-images --base oci:DIR:TAG</c>) whose documents would have crashed the
/// tool (FormatException, null reference): a digest <c>sha256:../..</c> or <c>sha512:...</c>, <c>"manifests": null</c>,
/// <c>"layers": null</c>. Each layout is written here; each must give one error line naming the document.
/// </summary>
public class HostileBaseImageTests : TempDirTest
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    [Test]
    public void A_digest_climbing_out_of_the_blobs_folder() =>
        AssertRefused(Layout("dotdot", Index(Entry("sha256:../..", 10))), "index.json: manifests has the digest 'sha256:../..', not a sha256 digest");

    [Test]
    public void A_sha512_digest() =>
        AssertRefused(Layout("sha512", Index(Entry("sha512:" + new string('a', 128), 10))), "index.json: manifests has the digest 'sha512:aaaa");

    [Test]
    public void Manifests_null() =>
        AssertRefused(Layout("manifests-null", """{"schemaVersion":2,"manifests":null}"""), "index.json: not a valid ImageIndex: ", "doesn't allow null values. Path: $.manifests ");

    [Test]
    public void Layers_null()
    {
        var manifest = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"{{{ManifestType}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{{{new string('0', 64)}}}","size":2},"layers":null}""");
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
        var layout = Layout("layers-null", Index(Entry(digest, manifest.Length)));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest[7..]), manifest);
        AssertRefused(layout, $"{digest[7..]}: not a valid ImageManifest: ", "doesn't allow null values. Path: $.layers ");
    }

    private static string Entry(string digest, long size) =>
        $$$"""{"mediaType":"{{{ManifestType}}}","digest":"{{{digest}}}","size":{{{size}}},"annotations":{"org.opencontainers.image.ref.name":"t"}}""";

    private static string Index(string entry) => $$$"""{"schemaVersion":2,"manifests":[{{{entry}}}]}""";

    private string Layout(string name, string index)
    {
        var folder = Temp[name];
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(folder, "index.json"), index);
        return folder;
    }

    private void AssertRefused(string layout, params string[] problems)
    {
        var output = Temp["out"];
        var result = ToolProcess.RunTool("Qus.Images", ["--input", ImageLayouts.X86Input, "--output", output, "--base", $"oci:{layout}:t"]);
        foreach (var problem in problems)
        {
            OneLineError.Check(result, "qus-images", problem);
        }

        Assert.That(Directory.Exists(output), Is.False, "no output is left behind");
    }
}
