namespace QemuUserStatic.Oci;

/// <summary>An image manifest: one platform's configuration and layers (OCI, or Docker schema 2 when read).</summary>
public sealed record ImageManifest
{
    /// <summary>Always 2.</summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The manifest's own media type.</summary>
    public string? MediaType { get; init; } = MediaTypes.ImageManifest;

    /// <summary>The image configuration blob.</summary>
    public required Descriptor Config { get; init; }

    /// <summary>The layers, base first.</summary>
    public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>Annotations, sorted by key.</summary>
    public SortedDictionary<string, string>? Annotations { get; init; }
}
