using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Net;

/// <summary>
/// A small XML-RPC client (https://xmlrpc.com/spec.md) over <see cref="HttpClient"/>: values map to <c>long</c>,
/// <c>bool</c>, <c>double</c>, <c>string</c>, <c>DateTime</c>, <c>byte[]</c>, <c>IReadOnlyDictionary&lt;string, object?&gt;</c>
/// (struct), <c>IReadOnlyList&lt;object?&gt;</c> (array) and null (the common <c>&lt;nil/&gt;</c> extension).
/// </summary>
internal sealed class XmlRpcClient(HttpClient http, Uri endpoint)
{
    /// <summary>The server's URL.</summary>
    public Uri Endpoint => endpoint;

    /// <summary>Calls <paramref name="method"/>; a fault is an <see cref="XmlRpcFaultException"/>, a transport problem a <see cref="UserException"/>.</summary>
    public async Task<object?> CallAsync(string method, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        var body = Request(method, parameters);
        using var content = new StringContent(body, Encoding.UTF8, "text/xml");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UserException($"{Describe()}: {method}: {ex.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new UserException($"{Describe()}: {method}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Response(method, text);
        }
    }

    /// <summary>The request document for a call.</summary>
    public static string Request(string method, IReadOnlyList<object?> parameters)
    {
        var call = new XElement("methodCall",
            new XElement("methodName", method),
            new XElement("params", parameters.Select(p => new XElement("param", Encode(p)))));
        return new XDeclaration("1.0", "utf-8", null) + "\n" + call.ToString(SaveOptions.DisableFormatting);
    }

    private object? Response(string method, string text)
    {
        XElement root;
        try
        {
            root = XElement.Parse(text);
        }
        catch (XmlException ex)
        {
            throw new UserException($"{Describe()}: {method}: the answer is not XML-RPC ({ex.Message})");
        }

        if (root.Element("fault")?.Element("value") is { } faultValue)
        {
            var fault = Decode(faultValue) as IReadOnlyDictionary<string, object?>;
            var code = fault?.GetValueOrDefault("faultCode") is long number ? number : 0;
            var message = fault?.GetValueOrDefault("faultString") as string ?? "fault";
            throw new XmlRpcFaultException(method, code, message, Describe());
        }

        var value = root.Element("params")?.Element("param")?.Element("value")
            ?? throw new UserException($"{Describe()}: {method}: the answer has no value");
        return Decode(value);
    }

    private static XElement Encode(object? value) => new("value", value switch
    {
        null => new XElement("nil"),
        string s => new XElement("string", s),
        bool b => new XElement("boolean", b ? "1" : "0"),
        int i => new XElement("int", i.ToString(CultureInfo.InvariantCulture)),
        long l when l is >= int.MinValue and <= int.MaxValue => new XElement("int", l.ToString(CultureInfo.InvariantCulture)),
        long l => new XElement("i8", l.ToString(CultureInfo.InvariantCulture)),
        double d => new XElement("double", d.ToString("R", CultureInfo.InvariantCulture)),
        DateTime t => new XElement("dateTime.iso8601", t.ToString("yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
        byte[] bytes => new XElement("base64", Convert.ToBase64String(bytes)),
        IEnumerable<KeyValuePair<string, object?>> members => new XElement("struct",
            members.Select(m => new XElement("member", new XElement("name", m.Key), Encode(m.Value)))),
        System.Collections.IEnumerable items => new XElement("array", new XElement("data",
            items.Cast<object?>().Select(Encode))),
        _ => throw new ArgumentException($"XML-RPC cannot encode {value.GetType().Name}"),
    });

    /// <summary>Decodes a <c>&lt;value&gt;</c> element.</summary>
    public static object? Decode(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
        {
            return value.Value; // no type element: a string
        }

        var text = typed.Value;
        return typed.Name.LocalName switch
        {
            "string" => text,
            "int" or "i4" or "i8" => long.Parse(text.Trim(), CultureInfo.InvariantCulture),
            "boolean" => text.Trim() == "1",
            "double" => double.Parse(text.Trim(), CultureInfo.InvariantCulture),
            "dateTime.iso8601" => DateTime.ParseExact(text.Trim(), ["yyyyMMdd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None),
            "base64" => Convert.FromBase64String(text.Trim()),
            "nil" => null,
            "struct" => typed.Elements("member").ToDictionary(
                m => m.Element("name")?.Value ?? "",
                m => m.Element("value") is { } v ? Decode(v) : null),
            "array" => (typed.Element("data")?.Elements("value") ?? []).Select(Decode).ToList(),
            var other => throw new FormatException($"unknown XML-RPC type <{other}>"),
        };
    }

    // Scheme, host and path only: an endpoint may carry a token in its query.
    private string Describe() => endpoint.GetLeftPart(UriPartial.Path);
}
