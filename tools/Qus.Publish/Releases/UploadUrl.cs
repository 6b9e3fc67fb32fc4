namespace QemuUserStatic.Releases;

/// <summary>A release's <c>upload_url</c>, an RFC 6570 template such as <c>https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}</c>.</summary>
internal static class UploadUrl
{
    /// <summary>The address to POST the asset <paramref name="name"/> to.</summary>
    public static Uri Expand(string template, string name)
    {
        var brace = template.IndexOf('{', StringComparison.Ordinal);
        var address = brace < 0 ? template : template[..brace];
        var separator = address.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri($"{address}{separator}name={Uri.EscapeDataString(name)}");
    }
}
