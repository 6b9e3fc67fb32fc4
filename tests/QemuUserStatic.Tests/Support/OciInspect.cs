using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace QemuUserStatic.Tests.Support;

/// <summary>Reads images the way their users' tools do: skopeo (any transport) and the layout's index.json.</summary>
public static class OciInspect
{
    /// <summary>The manifest or index <paramref name="reference"/> names (e.g. <c>oci:DIR:TAG</c>) and the digest of its bytes.</summary>
    public static (JsonNode Json, string Digest) Raw(string reference, string options = "")
    {
        var raw = ToolProcess.ShellOrThrow($"skopeo inspect --raw {options} '{reference}'");
        return (JsonNode.Parse(raw)!, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
    }

    /// <summary>The image configuration of <paramref name="reference"/> (for an index: this machine's platform).</summary>
    public static JsonNode Config(string reference, string options = "") =>
        JsonNode.Parse(ToolProcess.ShellOrThrow($"skopeo inspect --config {options} '{reference}'"))!;

    /// <summary>Tag → digest from a layout's index.json.</summary>
    public static IReadOnlyDictionary<string, string> Tags(string layout) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray()
            .ToDictionary(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>(), m => m!["digest"]!.GetValue<string>());

    /// <summary>The layer digests of a manifest.</summary>
    public static IReadOnlyList<string> Layers(JsonNode manifest) =>
        manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();

    /// <summary>The file of a blob in a layout.</summary>
    public static string Blob(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
}
