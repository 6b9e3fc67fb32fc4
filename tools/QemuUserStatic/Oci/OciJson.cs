using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>
/// JSON of the OCI documents: compact, properties in declaration order, sorted maps, nulls left out, so the same
/// document gives the same bytes and the same digest on every run.
/// </summary>
public static class OciJson
{
    /// <summary>
    /// The serializers: as generated, but with '+' and other ASCII written as is (the default encoder writes
    /// <c>\u002B</c> in every media type), as registries and other tools write them.
    /// </summary>
    public static OciJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // "layers": null must be an error naming the document, not a null the code trips over later.
        RespectNullableAnnotations = true,
    });

    /// <summary>The bytes of <paramref name="value"/>.</summary>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    /// <summary>
    /// Reads <paramref name="json"/>; a malformed document, a null where a value is required, or a bad digest is a user
    /// error naming <paramref name="source"/>.
    /// </summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string source)
    {
        try
        {
            return OciDocumentCheck.Checked(JsonSerializer.Deserialize(json, type) ?? throw new UserException($"{source}: empty document"), source);
        }
        catch (JsonException ex)
        {
            // System.Text.Json's advice to the programmer ("Consider updating its nullability annotation") is not the user's.
            var reason = System.Text.RegularExpressions.Regex.Replace(ex.Message, @" Consider [^.]*\.", string.Empty);
            throw new UserException($"{source}: not a valid {typeof(T).Name}: {reason}");
        }
    }
}

/// <summary>The <c>oci-layout</c> file: which layout version a folder follows.</summary>
public sealed record OciLayoutFile
{
    /// <summary>The version this code writes (image-spec v1.x layouts are all 1.0.0).</summary>
    public string ImageLayoutVersion { get; init; } = "1.0.0";
}

/// <summary>A token endpoint's answer (Docker's token authentication: <c>token</c>, or OAuth's <c>access_token</c>).</summary>
public sealed record RegistryTokenResponse
{
    /// <summary>The bearer token.</summary>
    public string? Token { get; init; }

    /// <summary>The same, by its OAuth 2 name.</summary>
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }
}

/// <summary>Source-generated serializers for the OCI documents.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(RegistryTokenResponse))]
public sealed partial class OciJsonContext : JsonSerializerContext;
