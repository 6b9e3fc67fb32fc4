namespace QemuUserStatic.Acceptance;

/// <summary>An image an engine holds, by the name the engine knows it by (a Docker reference, a sandbox folder key).</summary>
/// <param name="Name">The name; for Docker the reference Dockerfiles use in FROM and COPY --from.</param>
internal sealed record EngineImage(string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
