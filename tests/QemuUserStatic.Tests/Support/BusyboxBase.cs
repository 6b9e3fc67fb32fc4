using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A small multi-platform busybox base image made locally, so no test needs Docker Hub: Debian's busybox-static for
/// amd64 and arm64, each made an image by umoci (an independent OCI tool), and an index over both written here, in
/// an OCI layout tagged <see cref="Tag"/>. Cached in <c>.fixtures/</c>.
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
        var folder = Path.Combine(PackageFixtures.CacheRoot, "busybox-base-" + Key());
        if (File.Exists(Path.Combine(folder, "index.json")))
        {
            return folder;
        }

        var staging = folder + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var layout = Path.Combine(staging, "layout");
        ToolProcess.ShellOrThrow($"umoci init --layout '{layout}'");
        var manifests = new JsonArray();
        foreach (var (arch, variant) in new[] { ("amd64", (string?)null), ("arm64", "v8") })
        {
            var rootfs = Path.Combine(staging, "rootfs-" + arch);
            var busybox = Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", arch), "bin", "busybox");
            // The applets a base needs for the tests' sh -c checks, as links to busybox.
            ToolProcess.ShellOrThrow(
                $"mkdir -p '{rootfs}/bin' '{rootfs}/usr/bin' && cp '{busybox}' '{rootfs}/bin/busybox' && " +
                $"for a in sh ls cat echo test mount find uname stat id; do ln -s busybox '{rootfs}/bin/'$a; done && " +
                $"umoci new --image '{layout}:{arch}' && " +
                $"umoci config --image '{layout}:{arch}' --architecture {arch} --os linux --config.cmd sh --config.env PATH=/usr/bin:/bin && " +
                $"umoci insert --image '{layout}:{arch}' '{rootfs}' /");
            var entry = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray()
                .Single(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>() == arch)!;
            var platform = new JsonObject { ["architecture"] = arch, ["os"] = "linux" };
            if (variant is not null)
            {
                platform["variant"] = variant;
            }

            manifests.Add(new JsonObject
            {
                ["mediaType"] = entry["mediaType"]!.GetValue<string>(),
                ["digest"] = entry["digest"]!.GetValue<string>(),
                ["size"] = entry["size"]!.GetValue<long>(),
                ["platform"] = platform,
            });
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = manifests,
        }.ToJsonString();
        var bytes = System.Text.Encoding.UTF8.GetBytes(index);
        var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", hex), bytes);
        var layoutIndex = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        layoutIndex["manifests"]!.AsArray().Add(new JsonObject
        {
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["digest"] = "sha256:" + hex,
            ["size"] = bytes.Length,
            ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = Tag },
        });
        File.WriteAllText(Path.Combine(layout, "index.json"), layoutIndex.ToJsonString());
        ToolProcess.ShellOrThrow($"skopeo inspect --raw 'oci:{layout}:{Tag}' >/dev/null");

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        try
        {
            Directory.Move(layout, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another test process made it first.
        }

        Directory.Delete(staging, recursive: true);
        return folder;
    }

    private static string Key() =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            Path.GetFileName(PackageFixtures.DebianPackage("busybox-static", "amd64")) + Path.GetFileName(PackageFixtures.DebianPackage("busybox-static", "arm64")))))[..12];
}
