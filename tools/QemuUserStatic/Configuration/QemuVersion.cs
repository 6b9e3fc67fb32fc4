using QemuUserStatic.Cli;

namespace QemuUserStatic.Configuration;

/// <summary>
/// The pinned QEMU package: for Debian the whole Debian version (<c>1:7.2+dfsg-7+deb12u18+b3</c>, no separate
/// release); for Fedora the RPM version and release (<c>7.2.0</c>, <c>1.fc38</c>).
/// </summary>
public sealed record QemuVersion
{
    /// <summary>Pins a version; a Fedora pin needs a release, a Debian pin must not have one.</summary>
    public QemuVersion(PackageOrigin source, string version, string? release)
    {
        if (string.IsNullOrWhiteSpace(version) || version.Any(char.IsWhiteSpace))
        {
            throw new UserException($"bad QEMU version '{version}'");
        }

        if (source == PackageOrigin.Fedora && string.IsNullOrWhiteSpace(release))
        {
            throw new UserException($"a Fedora QEMU version needs a release (e.g. 1.fc38) besides '{version}'");
        }

        if (source == PackageOrigin.Debian && release is not null)
        {
            throw new UserException($"a Debian QEMU version has no separate release: give the whole Debian version (e.g. {version}-{release})");
        }

        if (release is not null && (release.Contains('-') || release.Any(char.IsWhiteSpace)))
        {
            throw new UserException($"bad package release '{release}'");
        }

        Origin = source;
        Version = version;
        Release = release;
    }

    /// <summary>Which origin the version belongs to (Debian and Fedora spell versions differently).</summary>
    public PackageOrigin Origin { get; }

    /// <summary>The version as configured.</summary>
    public string Version { get; }

    /// <summary>Fedora's release (1.fc38); null for Debian.</summary>
    public string? Release { get; }

    /// <summary>The version the source's index spells: Debian's Version field, Fedora's VERSION-RELEASE.</summary>
    public string Full => Release is null ? Version : $"{Version}-{Release}";

    /// <summary>QEMU's own version: 7.2 from Debian's 1:7.2+dfsg-7+deb12u18+b3, 7.2.0 from Fedora's 7.2.0.</summary>
    public string Upstream
    {
        get
        {
            var upstream = Origin == PackageOrigin.Debian ? DebianUpstream(Version) : Version;
            var cut = upstream.IndexOfAny(['+', '~']);
            return cut > 0 ? upstream[..cut] : upstream;
        }
    }

    /// <summary>The packaging part: Fedora's release, or Debian's revision (7+deb12u18+b3); empty when Debian has none.</summary>
    public string PackageRelease
    {
        get
        {
            if (Release is not null)
            {
                return Release;
            }

            var dash = Version.LastIndexOf('-');
            return dash > 0 ? Version[(dash + 1)..] : "";
        }
    }

    /// <inheritdoc />
    public override string ToString() => Full;

    private static string DebianUpstream(string version)
    {
        var colon = version.IndexOf(':');
        var withoutEpoch = colon >= 0 ? version[(colon + 1)..] : version;
        var dash = withoutEpoch.LastIndexOf('-');
        return dash > 0 ? withoutEpoch[..dash] : withoutEpoch;
    }
}
