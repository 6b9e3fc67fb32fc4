using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>What qus-images builds, from what, and where it writes it.</summary>
internal sealed record ImagesOptions
{
    /// <summary>qus-tarballs output folders, or folders of them (one per host architecture).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The OCI image layout folder to write.</summary>
    public required string Output { get; init; }

    /// <summary>The base of latest, VERSION and register: a registry reference or <c>oci:DIR:TAG</c>.</summary>
    public required string Base { get; init; }

    /// <summary>When the base is pulled.</summary>
    public PullPolicy Pull { get; init; } = PullPolicy.Missing;

    /// <summary>The folder caching pulled base images.</summary>
    public string Cache { get; init; } = ImageCache.DefaultFolder;

    /// <summary>Only these tags; every tag when empty.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How the images are named and labelled.</summary>
    public ImageSetOptions ImageSet { get; init; } = new();
}
