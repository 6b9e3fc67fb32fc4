using System.Text.Json.Serialization;

namespace QemuUserStatic.Push;

/// <summary>Source-generated JSON for the digests a push reports (<c>{"latest": "sha256:…"}</c>).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class PushJsonContext : JsonSerializerContext;
