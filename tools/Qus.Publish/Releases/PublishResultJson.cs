using System.Text.Json.Serialization;

namespace QemuUserStatic.Releases;

/// <summary>The source-generated contract of <see cref="PublishResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PublishResult))]
internal sealed partial class PublishResultJson : JsonSerializerContext;
