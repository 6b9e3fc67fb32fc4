namespace QemuUserStatic.Oci;

/// <summary>The media types of OCI image-spec v1.1 and their Docker (schema 2) equivalents that registries still serve.</summary>
public static class MediaTypes
{
    /// <summary>An OCI image manifest.</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index (a manifest per platform).</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>An OCI image configuration.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>A gzip-compressed tar layer.</summary>
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>An uncompressed tar layer.</summary>
    public const string LayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>A zstd-compressed tar layer.</summary>
    public const string LayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>Docker's image manifest (schema 2).</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker's manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Docker's image configuration.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>Docker's gzip-compressed layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Every manifest type a registry client accepts, in the order of preference sent as <c>Accept</c>.</summary>
    public static IReadOnlyList<string> Manifests { get; } = [ImageIndex, ImageManifest, DockerManifestList, DockerManifest];

    /// <summary>True for an index or a manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;

    /// <summary>True for a single-platform image manifest, OCI or Docker.</summary>
    public static bool IsManifest(string? mediaType) => mediaType is ImageManifest or DockerManifest;

    /// <summary>
    /// The OCI media type of a base image's layer: Docker's layer types carry the same bytes as OCI's, so they are
    /// renamed when an OCI manifest lists them; other types (foreign or unknown) are refused.
    /// </summary>
    public static string? OciLayerType(string mediaType) => mediaType switch
    {
        LayerGzip or DockerLayerGzip => LayerGzip,
        LayerTar or "application/vnd.docker.image.rootfs.diff.tar" => LayerTar,
        LayerZstd => LayerZstd,
        _ => null,
    };
}
