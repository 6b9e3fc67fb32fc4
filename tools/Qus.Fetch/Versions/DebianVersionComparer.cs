namespace QemuUserStatic.Versions;

/// <summary>
/// Orders Debian package versions (<c>[epoch:]upstream[-revision]</c>) the way dpkg does (deb-version(7)):
/// epochs numerically, then upstream and revision by alternating non-digit and digit runs, '~' before anything.
/// </summary>
internal sealed class DebianVersionComparer : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static DebianVersionComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var (epochX, upstreamX, revisionX) = Split(x);
        var (epochY, upstreamY, revisionY) = Split(y);
        var byEpoch = epochX.CompareTo(epochY);
        if (byEpoch != 0)
        {
            return byEpoch;
        }

        var byUpstream = Compare(upstreamX.AsSpan(), upstreamY.AsSpan());
        return byUpstream != 0 ? byUpstream : Compare(revisionX.AsSpan(), revisionY.AsSpan());
    }

    private static (long Epoch, string Upstream, string Revision) Split(string version)
    {
        var colon = version.IndexOf(':');
        var epoch = colon > 0 && long.TryParse(version.AsSpan(0, colon), out var e) ? e : 0;
        var rest = colon >= 0 ? version[(colon + 1)..] : version;
        var dash = rest.LastIndexOf('-');
        return dash >= 0 ? (epoch, rest[..dash], rest[(dash + 1)..]) : (epoch, rest, "");
    }

    // dpkg's verrevcmp.
    private static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var firstDiff = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(a, i);
                var bc = Order(b, j);
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    private static int Order(ReadOnlySpan<char> s, int index)
    {
        if (index >= s.Length || char.IsAsciiDigit(s[index]))
        {
            return 0;
        }

        var c = s[index];
        return char.IsAsciiLetter(c) ? c : c == '~' ? -1 : c + 256;
    }
}
