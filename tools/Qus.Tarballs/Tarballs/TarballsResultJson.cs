using System.Text.Json.Serialization;

namespace QemuUserStatic.Tarballs;

/// <summary>The source-generated contract of <see cref="TarballsResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TarballsResult))]
internal sealed partial class TarballsResultJson : JsonSerializerContext;
