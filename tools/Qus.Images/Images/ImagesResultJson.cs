using System.Text.Json.Serialization;

namespace QemuUserStatic.Images;

/// <summary>The source-generated contract of <see cref="ImagesResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImagesResult))]
internal sealed partial class ImagesResultJson : JsonSerializerContext;
