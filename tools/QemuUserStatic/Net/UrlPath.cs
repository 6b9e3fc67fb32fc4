namespace QemuUserStatic.Net;

/// <summary>Joins a base URL and a relative path whether or not the base ends with a slash.</summary>
public static class UrlPath
{
    /// <summary><paramref name="baseUrl"/> + "/" + <paramref name="relative"/>, with exactly one slash between.</summary>
    public static Uri Combine(Uri baseUrl, string relative) =>
        new(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + relative.TrimStart('/'));

    /// <summary>An absolute http(s) URL given as <paramref name="what"/> (an option name), or a one-line error.</summary>
    public static Uri? ParseHttp(string? value, string what)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new Cli.UserException($"{what}: '{value}' is not an http(s) URL");
    }
}
