using System.Text.Json.Nodes;
using QemuUserStatic.Architectures;
using QemuUserStatic.Guests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A small multi-platform busybox base image made locally, so no test needs Docker Hub: Debian's busybox-static for
/// amd64 and arm64, made by <see cref="BusyboxImage"/> as tools/run-pipeline makes its base, each image tagged by its
/// Docker architecture and an index over both tagged <see cref="Tag"/>, in an OCI layout cached in <c>.fixtures/</c>
/// and read back by skopeo (an independent OCI implementation) once made.
/// </summary>
public static class BusyboxBase
{
    /// <summary>The layout's tag of the index.</summary>
    public const string Tag = "latest";

    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The layout folder.</summary>
    public static string Layout => Folder.Value;

    /// <summary>The <c>--base</c> argument naming it.</summary>
    public static string Reference => $"oci:{Layout}:{Tag}";

    /// <summary>The digests of the per-platform manifests, by Docker architecture (amd64, arm64).</summary>
    public static IReadOnlyDictionary<string, string> ManifestDigests =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Layout, "index.json")))!["manifests"]!.AsArray()
            .Where(m => m!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() is "amd64" or "arm64")
            .ToDictionary(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>(), m => m!["digest"]!.GetValue<string>());

    /// <summary>Pushes the index and both images to <paramref name="destination"/> (docker://HOST/REPO:TAG) with skopeo.</summary>
    public static void PushTo(string destination, string? authFile = null) =>
        ToolProcess.ShellOrThrow(
            $"skopeo copy -q --all --preserve-digests --dest-tls-verify=false {(authFile is null ? "" : $"--dest-authfile '{authFile}' ")}" +
            $"'oci:{Layout}:{Tag}' '{destination}'");

    private static string Build()
    {
        BusyboxPlatform[] images =
        [
            new("amd64", new OciPlatform("linux", "amd64"), PackageFixtures.DebianPackage("busybox-static", "amd64"), []),
            new("arm64", new OciPlatform("linux", "arm64", "v8"), PackageFixtures.DebianPackage("busybox-static", "arm64"), []),
        ];
        var folder = Path.Combine(PackageFixtures.CacheRoot, "busybox-base-" + BusyboxImage.Key(images, Tag));
        BusyboxImage.WriteAsync(folder, images, Tag).GetAwaiter().GetResult();
        ToolProcess.ShellOrThrow($"skopeo inspect --raw 'oci:{folder}:{Tag}' >/dev/null");
        return folder;
    }
}
