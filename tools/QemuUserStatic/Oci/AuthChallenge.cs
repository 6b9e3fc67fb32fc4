using System.Net.Http.Headers;

namespace QemuUserStatic.Oci;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c>, or Docker's token authentication
/// <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for token authentication.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for HTTP Basic authentication.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>A parameter's value (realm, service, scope), or null.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The first challenge of a 401 response this client can answer (Bearer before Basic), or null.</summary>
    public static AuthChallenge? From(HttpResponseHeaders headers)
    {
        var challenges = headers.WwwAuthenticate.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses the parameters of a challenge: comma-separated <c>key="value"</c> pairs, commas allowed inside quotes.</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameters ?? "";
        var position = 0;
        while (position < text.Length)
        {
            var equals = text.IndexOf('=', position);
            if (equals < 0)
            {
                break;
            }

            var key = text[position..equals].Trim(' ', ',');
            position = equals + 1;
            string value;
            if (position < text.Length && text[position] == '"')
            {
                var close = text.IndexOf('"', position + 1);
                close = close < 0 ? text.Length : close;
                value = text[(position + 1)..close];
                position = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', position);
                comma = comma < 0 ? text.Length : comma;
                value = text[position..comma].Trim();
                position = comma;
            }

            values[key] = value;
            position = text.IndexOf(',', position) is var next and >= 0 ? next + 1 : text.Length;
        }

        return new AuthChallenge(scheme, values);
    }
}
