using System.Text.Json.Serialization;

namespace QemuUserStatic.Acceptance;

/// <summary>The source-generated contract of <see cref="TestResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TestResult))]
internal sealed partial class TestResultJson : JsonSerializerContext;
