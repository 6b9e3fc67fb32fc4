namespace QemuUserStatic.Oci;

/// <summary>The pre-defined annotation and label keys of the image spec this code writes or reads.</summary>
public static class AnnotationKeys
{
    /// <summary>In a layout's index.json: the tag (reference name) of an entry.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>containerd's and docker load's full image name (<c>repository:tag</c>) of a layout entry.</summary>
    public const string ContainerdImageName = "io.containerd.image.name";

    /// <summary>Date and time the image was built, RFC 3339.</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>Human-readable title.</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>Human-readable description.</summary>
    public const string Description = "org.opencontainers.image.description";

    /// <summary>Version of the packaged software.</summary>
    public const string Version = "org.opencontainers.image.version";

    /// <summary>URL of the source code the image was built from.</summary>
    public const string Source = "org.opencontainers.image.source";

    /// <summary>Source control revision the image was built from.</summary>
    public const string Revision = "org.opencontainers.image.revision";

    /// <summary>The reference of the base image.</summary>
    public const string BaseName = "org.opencontainers.image.base.name";

    /// <summary>The digest of the base image's manifest.</summary>
    public const string BaseDigest = "org.opencontainers.image.base.digest";
}
