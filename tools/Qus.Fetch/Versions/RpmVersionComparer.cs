namespace QemuUserStatic.Versions;

/// <summary>
/// Orders RPM version or release strings the way rpm's rpmvercmp does: alphanumeric segments, numbers numerically,
/// '~' sorts before anything (pre-releases), '^' after the base but before anything longer (snapshots).
/// </summary>
internal sealed class RpmVersionComparer : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static RpmVersionComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        if (x == y)
        {
            return 0;
        }

        ReadOnlySpan<char> a = x, b = y;
        while (true)
        {
            a = SkipSeparators(a);
            b = SkipSeparators(b);

            if (StartsWith(a, '~') || StartsWith(b, '~'))
            {
                if (!StartsWith(a, '~'))
                {
                    return 1;
                }

                if (!StartsWith(b, '~'))
                {
                    return -1;
                }

                a = a[1..];
                b = b[1..];
                continue;
            }

            if (StartsWith(a, '^') || StartsWith(b, '^'))
            {
                if (a.IsEmpty)
                {
                    return -1;
                }

                if (b.IsEmpty)
                {
                    return 1;
                }

                if (!StartsWith(a, '^'))
                {
                    return 1;
                }

                if (!StartsWith(b, '^'))
                {
                    return -1;
                }

                a = a[1..];
                b = b[1..];
                continue;
            }

            if (a.IsEmpty || b.IsEmpty)
            {
                break;
            }

            var numeric = char.IsAsciiDigit(a[0]);
            var segA = Segment(a, numeric);
            var segB = Segment(b, numeric);
            if (segB.IsEmpty)
            {
                return numeric ? 1 : -1;
            }

            a = a[segA.Length..];
            b = b[segB.Length..];
            int result;
            if (numeric)
            {
                segA = segA.TrimStart('0');
                segB = segB.TrimStart('0');
                result = segA.Length != segB.Length ? segA.Length.CompareTo(segB.Length) : segA.SequenceCompareTo(segB);
            }
            else
            {
                result = segA.SequenceCompareTo(segB);
            }

            if (result != 0)
            {
                return Math.Sign(result);
            }
        }

        return a.IsEmpty && b.IsEmpty ? 0 : a.IsEmpty ? -1 : 1;
    }

    private static bool StartsWith(ReadOnlySpan<char> s, char c) => !s.IsEmpty && s[0] == c;

    private static ReadOnlySpan<char> SkipSeparators(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && !char.IsAsciiLetterOrDigit(s[i]) && s[i] != '~' && s[i] != '^')
        {
            i++;
        }

        return s[i..];
    }

    private static ReadOnlySpan<char> Segment(ReadOnlySpan<char> s, bool numeric)
    {
        var i = 0;
        while (i < s.Length && (numeric ? char.IsAsciiDigit(s[i]) : char.IsAsciiLetter(s[i])))
        {
            i++;
        }

        return s[..i];
    }
}
