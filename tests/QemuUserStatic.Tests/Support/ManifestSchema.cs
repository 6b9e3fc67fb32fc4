namespace QemuUserStatic.Tests.Support;

/// <summary>The committed JSON Schema of manifest.json (tools/QemuUserStatic/Manifests/manifest.schema.json), as a validator.</summary>
public static class ManifestSchema
{
    private static readonly JsonSchemaFile Schema = new(Repo.Under("tools", "QemuUserStatic", "Manifests", "manifest.schema.json"));

    /// <summary>The schema errors of <paramref name="json"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Errors(string json) => Schema.Errors(json);
}
