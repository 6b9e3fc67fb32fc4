namespace QemuUserStatic.Binfmt;

/// <summary>binfmt_misc entry flags, written in the order the kernel prints them (POCF).</summary>
[Flags]
public enum BinfmtFlags
{
    /// <summary>No flag: the interpreter is looked up when a program starts, in that program's mount namespace.</summary>
    None = 0,

    /// <summary>P, preserve-argv0: argv[0] reaches the interpreter unchanged.</summary>
    PreserveArgv0 = 1,

    /// <summary>O, open-binary: the interpreter gets an open file descriptor to the program.</summary>
    OpenBinary = 2,

    /// <summary>C, credentials: setuid/setgid bits of the program apply (implies O).</summary>
    Credentials = 4,

    /// <summary>F, fix-binary: the interpreter is opened at registration and works in any namespace.</summary>
    FixBinary = 8,
}

/// <summary>Conversions between <see cref="BinfmtFlags"/> and their letters.</summary>
public static class BinfmtFlagsText
{
    private static readonly (char Letter, BinfmtFlags Flag)[] Letters =
    [
        ('P', BinfmtFlags.PreserveArgv0),
        ('O', BinfmtFlags.OpenBinary),
        ('C', BinfmtFlags.Credentials),
        ('F', BinfmtFlags.FixBinary),
    ];

    /// <summary>The letters, in the kernel's order: <c>OCF</c>, <c>F</c>, or the empty string.</summary>
    public static string ToLetters(this BinfmtFlags flags) =>
        new(Letters.Where(l => flags.HasFlag(l.Flag)).Select(l => l.Letter).ToArray());

    /// <summary>Parses flag letters (any order); an unknown letter is a <see cref="FormatException"/>.</summary>
    public static BinfmtFlags Parse(string letters)
    {
        var flags = BinfmtFlags.None;
        foreach (var c in letters.Trim())
        {
            var match = Letters.FirstOrDefault(l => l.Letter == char.ToUpperInvariant(c));
            if (match.Letter == default)
            {
                throw new FormatException($"unknown binfmt_misc flag '{c}' (known: P, O, C, F)");
            }

            flags |= match.Flag;
        }

        // The kernel turns C into OC itself; say so in the value too, so comparisons with /proc agree.
        return flags.HasFlag(BinfmtFlags.Credentials) ? flags | BinfmtFlags.OpenBinary : flags;
    }
}
