using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>
/// What a source has newest: the newest stable version every host has (what a pin can move to), and the hosts whose
/// own newest is newer still (a version not yet built for the others), so that a lagging host is named, not hidden.
/// </summary>
/// <param name="Common">The newest stable version available for every host.</param>
/// <param name="Ahead">Hosts with a newer stable version of their own than <paramref name="Common"/>, and that version.</param>
internal sealed record LatestVersions(QemuVersion Common, IReadOnlyDictionary<string, QemuVersion> Ahead)
{
    /// <summary>A source that has one newest version for every host.</summary>
    public static LatestVersions Everywhere(QemuVersion version) => new(version, new Dictionary<string, QemuVersion>());

    /// <summary>
    /// One line for the log when some hosts are ahead ("1:11.1.3+ds-1 exists for x86_64, aarch64 but not yet for
    /// riscv64"), else null.
    /// </summary>
    public string? Describe(IReadOnlyList<string> hosts)
    {
        if (Ahead.Count == 0)
        {
            return null;
        }

        var parts = Ahead.GroupBy(a => a.Value.Full)
            .Select(g => $"{g.Key} exists for {string.Join(", ", g.Select(a => a.Key))} but not yet for {string.Join(", ", hosts.Where(h => !g.Any(a => a.Key == h)))}");
        return $"{string.Join("; ", parts)}: a pin follows the newest version every host has ({Common})";
    }
}
