using System.Text.RegularExpressions;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Recognizes pre-release versions that <c>qus-fetch --check</c> skips: QEMU's release candidates as Fedora
/// (<c>9.0.0-0.1.rc2.fc41</c>, <c>9.0.0~rc2</c>, <c>-rc2</c>) and Debian (<c>1:9.0.0~rc2+ds-1</c>) spell them.
/// </summary>
internal static partial class PreReleaseVersion
{
    /// <summary>True when any part names a release candidate.</summary>
    public static bool IsReleaseCandidate(params string?[] parts) => parts.Any(p => p is not null && Pattern().IsMatch(p));

    [GeneratedRegex(@"(^|[~.\-_+0-9])rc[0-9]*($|[~.\-_+])", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
