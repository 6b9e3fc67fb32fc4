using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>A tag written to the layout and the manifest or index it names.</summary>
internal sealed record BuiltTag(ImageTag Tag, Descriptor Image);
