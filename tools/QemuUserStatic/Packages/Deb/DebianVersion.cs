namespace QemuUserStatic.Packages.Deb;

/// <summary>A Debian version <c>[epoch:]upstream[-revision]</c>, split the way dpkg splits it (revision after the last hyphen).</summary>
/// <param name="Epoch">The epoch, or null.</param>
/// <param name="Upstream">The upstream version, e.g. <c>7.2+dfsg</c>.</param>
/// <param name="Revision">The Debian revision, e.g. <c>7+deb12u18+b3</c>; empty for native packages.</param>
internal sealed record DebianVersion(string? Epoch, string Upstream, string Revision)
{
    /// <summary>Splits <paramref name="version"/>; an empty upstream part is an <see cref="InvalidDataException"/>.</summary>
    public static DebianVersion Parse(string version)
    {
        var text = version.Trim();
        var colon = text.IndexOf(':');
        var epoch = colon > 0 ? text[..colon] : null;
        var rest = colon > 0 ? text[(colon + 1)..] : text;
        var hyphen = rest.LastIndexOf('-');
        var upstream = hyphen > 0 ? rest[..hyphen] : rest;
        if (upstream.Length == 0 || (epoch is not null && !epoch.All(char.IsAsciiDigit)))
        {
            throw new InvalidDataException($"'{version}' is not a Debian version");
        }

        return new DebianVersion(epoch, upstream, hyphen > 0 ? rest[(hyphen + 1)..] : "");
    }

    /// <inheritdoc />
    public override string ToString() =>
        (Epoch is null ? "" : Epoch + ":") + Upstream + (Revision.Length == 0 ? "" : "-" + Revision);
}
