namespace QemuUserStatic.Oci;

/// <summary>One platform's image of a base: its manifest, configuration, and layers (OCI media types) held in <see cref="Store"/>.</summary>
/// <param name="BaseName">The base as the user named it, for the <c>org.opencontainers.image.base.name</c> annotation.</param>
/// <param name="Manifest">The descriptor of the platform's manifest (its digest is the base digest).</param>
/// <param name="Config">The base's configuration.</param>
/// <param name="Layers">The base's layers, with Docker layer types renamed to their OCI equivalents (same bytes).</param>
/// <param name="Store">The layout holding the blobs.</param>
public sealed record PlatformImage(
    string BaseName, Descriptor Manifest, ImageConfig Config, IReadOnlyList<Descriptor> Layers, OciLayout Store);
