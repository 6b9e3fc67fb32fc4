using System.Text.Json.Serialization;

namespace QemuUserStatic.Manifests;

/// <summary>Source-generated JSON for <c>fetched.json</c>: camelCase, indented, every property written.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FetchedList))]
internal sealed partial class FetchedListJsonContext : JsonSerializerContext;
