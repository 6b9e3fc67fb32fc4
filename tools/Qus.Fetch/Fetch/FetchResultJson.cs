using System.Text.Json.Serialization;

namespace QemuUserStatic.Fetch;

/// <summary>The source-generated contract of <see cref="FetchResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FetchResult))]
internal sealed partial class FetchResultJson : JsonSerializerContext;
