using System.Text.Json;
using System.Text.Json.Nodes;

namespace QemuUserStatic.Tests.Support;

/// <summary>The <c>--json</c> document of a tool run: its stdout must be exactly one JSON object.</summary>
public static class StepJson
{
    /// <summary>The object <paramref name="result"/>'s stdout holds; fails the test when stdout is anything else (a line more, no object).</summary>
    public static JsonObject Parse(ProcessResult result)
    {
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(result.StandardOutput);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"stdout is not one JSON document ({ex.Message}):\n{result}");
        }

        Assert.That(node, Is.InstanceOf<JsonObject>(), result.ToString());
        return node!.AsObject();
    }

    /// <summary>The strings of a JSON array.</summary>
    public static IReadOnlyList<string?> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n?.GetValue<string>())];
}
