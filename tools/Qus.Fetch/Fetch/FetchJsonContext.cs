using System.Text.Json.Serialization;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Source-generated JSON for qus-fetch's own files (no reflection, so that the tools built with NativeAOT carry no
/// trimming warnings): the resolution memo (indented, names as declared) and the hosts list (compact).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<RepositoryPackage>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class FetchJsonContext : JsonSerializerContext;
