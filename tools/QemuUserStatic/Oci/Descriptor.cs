using QemuUserStatic.Architectures;

namespace QemuUserStatic.Oci;

/// <summary>An OCI content descriptor: what a blob is, its digest and size, and for index entries its platform.</summary>
public sealed record Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    public required string MediaType { get; init; }

    /// <summary>The content's digest (<c>sha256:…</c>).</summary>
    public required string Digest { get; init; }

    /// <summary>The content's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The platform an index entry runs on.</summary>
    public OciPlatform? Platform { get; init; }

    /// <summary>Annotations, sorted by key so that the JSON is the same on every run.</summary>
    public SortedDictionary<string, string>? Annotations { get; init; }

    /// <summary>The value of annotation <paramref name="key"/>, or null.</summary>
    public string? Annotation(string key) => Annotations is not null && Annotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>This descriptor with annotation <paramref name="key"/> set.</summary>
    public Descriptor WithAnnotation(string key, string value) =>
        this with { Annotations = new SortedDictionary<string, string>(Annotations ?? new SortedDictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal) { [key] = value } };
}
