namespace QemuUserStatic.Push;

/// <summary>A tag pushed to a registry and the digest the registry holds for it.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Reference">Where it went: <c>REGISTRY/REPOSITORY:TAG</c>.</param>
/// <param name="Digest">The digest of its manifest or index (the same as in the layout).</param>
internal sealed record PushedTag(string Tag, string Reference, string Digest);
