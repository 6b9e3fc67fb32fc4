using System.Text;
using System.Text.RegularExpressions;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// The three versions a release carries, derived from a package:
/// <list type="bullet">
/// <item>QEMU version: upstream's (<c>7.2.0</c>; Debian's <c>7.2+dfsg</c> without its repack suffix: <c>7.2</c>).</item>
/// <item>Package version: as the package manager prints it (<c>7.2.0-1.fc38</c>, <c>1:7.2+dfsg-7+deb12u18+b3</c>).</item>
/// <item>Tag version: a valid OCI tag for releases and images. Fedora: version-release without the dist tag
/// (<c>7.2.0-1.fc38</c> → <c>7.2.0-1</c>, as the original project tagged). Debian: QEMU version and the full Debian
/// revision, epoch dropped, characters a tag cannot hold ('+', '~', ':') turned into '-'
/// (<c>1:7.2+dfsg-7+deb12u18+b3</c> → <c>7.2-7-deb12u18-b3</c>): the revision stays because every stable update
/// and binNMU ships different binaries. A folder: the version its emulators print.</item>
/// </list>
/// </summary>
internal sealed partial record ReleaseVersion(string QemuVersion, string PackageVersion, string TagVersion)
{
    /// <summary>The versions of <paramref name="package"/>.</summary>
    public static ReleaseVersion Of(PackageIdentity package)
    {
        switch (package.Format)
        {
            case PackageFormat.Rpm:
                var release = string.Join('.', package.Release.Split('.').TakeWhile(part => !DistTag().IsMatch(part)));
                return new(package.Version, package.FullVersion, ToTag(release.Length == 0 ? package.Version : $"{package.Version}-{release}"));
            case PackageFormat.Deb:
                var upstream = package.Version.Split('+')[0];
                return new(upstream, package.FullVersion, ToTag(package.Release.Length == 0 ? upstream : $"{upstream}-{package.Release}"));
            default:
                return new(package.Version, package.FullVersion, ToTag(package.Version));
        }
    }

    /// <summary>
    /// <paramref name="version"/> as an OCI tag (<c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>): other characters become
    /// '-', and a version that cannot make a tag is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static string ToTag(string version)
    {
        var tag = new StringBuilder(version.Length);
        foreach (var c in version)
        {
            tag.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        var text = tag.ToString();
        if (!OciTag().IsMatch(text))
        {
            throw new InvalidDataException($"version '{version}' does not make a valid image tag");
        }

        return text;
    }

    // Fedora/RHEL dist tags: fc38, el9, el9_2, eln.
    [GeneratedRegex("^(fc[0-9]+|el[0-9]+(_[0-9]+)?|eln[0-9]*)$")]
    private static partial Regex DistTag();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex OciTag();
}
