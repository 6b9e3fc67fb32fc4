using System.Text.Json.Serialization;

namespace QemuUserStatic.Binfmt;

/// <summary>The source-generated contract of <see cref="RegisterResult"/>'s <c>--json</c> document (see <see cref="Cli.IStepResult.JsonType"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisterResult))]
internal sealed partial class RegisterResultJson : JsonSerializerContext;
