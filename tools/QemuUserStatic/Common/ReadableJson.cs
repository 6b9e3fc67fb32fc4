using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace QemuUserStatic.Common;

/// <summary>
/// JSON as this project writes its own files and documents (fetched.json, qus.lock.json, manifest.json, the SBOM, the
/// tools' <c>--json</c>): indented, <c>\n</c> line ends, and versions and paths left readable (<c>1:7.2+dfsg-7</c>, not
/// <c>1:7.2\u002Bdfsg-7</c>). JSON stays valid: only HTML-sensitive characters go unescaped, and none of these is ever
/// embedded in HTML. The property names and what is left out are the type's source-generated context's.
/// </summary>
public static class ReadableJson
{
    /// <summary>The writer options, for documents written member by member.</summary>
    public static JsonWriterOptions WriterOptions => new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><paramref name="value"/> as UTF-8 JSON, without a final newline.</summary>
    public static byte[] SerializeToUtf8Bytes(object value, JsonTypeInfo type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><paramref name="value"/> as JSON text, without a final newline.</summary>
    public static string Serialize(object value, JsonTypeInfo type) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8Bytes(value, type));
}
