using System.Text.Json;
using Json.Schema;

namespace QemuUserStatic.Tests.Support;

/// <summary>A committed JSON Schema file as a validator, read on first use.</summary>
public sealed class JsonSchemaFile(string path)
{
    private readonly Lazy<JsonSchema> schema = new(() => JsonSchema.FromText(File.ReadAllText(path)));

    /// <summary>The schema errors of <paramref name="json"/> (empty when valid), each as "location: keyword: message".</summary>
    public IReadOnlyList<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .DefaultIfEmpty("invalid")
                .ToList();
    }
}
