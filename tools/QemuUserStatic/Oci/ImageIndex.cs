using QemuUserStatic.Architectures;

namespace QemuUserStatic.Oci;

/// <summary>An image index: one manifest per platform (also the shape of a layout's index.json and a Docker manifest list).</summary>
public sealed record ImageIndex
{
    /// <summary>Always 2.</summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The index's own media type.</summary>
    public string? MediaType { get; init; } = MediaTypes.ImageIndex;

    /// <summary>The entries.</summary>
    public required IReadOnlyList<Descriptor> Manifests { get; init; }

    /// <summary>Annotations, sorted by key.</summary>
    public SortedDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The image manifest for <paramref name="platform"/>: an entry with the same variant first, then one whose
    /// variant is unstated (Docker Hub lists arm64 without v8); null when the index has none.
    /// </summary>
    public Descriptor? ManifestFor(OciPlatform platform)
    {
        var images = Manifests.Where(m => MediaTypes.IsManifest(m.MediaType) && m.Platform is not null).ToList();
        return images.FirstOrDefault(m => m.Platform == platform) ??
               images.FirstOrDefault(m => m.Platform!.Matches(platform));
    }
}
