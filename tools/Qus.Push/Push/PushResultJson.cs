using System.Text.Json.Serialization;

namespace QemuUserStatic.Push;

/// <summary>The source-generated contract of <see cref="PushResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PushResult))]
internal sealed partial class PushResultJson : JsonSerializerContext;
