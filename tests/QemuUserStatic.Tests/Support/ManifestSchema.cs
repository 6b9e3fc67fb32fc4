using System.Text.Json;
using Json.Schema;

namespace QemuUserStatic.Tests.Support;

/// <summary>The committed JSON Schema of manifest.json (tools/QemuUserStatic/Manifests/manifest.schema.json), as a validator.</summary>
public static class ManifestSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Repo.Under("tools", "QemuUserStatic", "Manifests", "manifest.schema.json"))));

    /// <summary>The schema errors of <paramref name="json"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .DefaultIfEmpty("invalid")
                .ToList();
    }
}
