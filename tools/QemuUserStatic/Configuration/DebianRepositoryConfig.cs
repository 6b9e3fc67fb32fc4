namespace QemuUserStatic.Configuration;

/// <summary>
/// The Debian archive qus-fetch reads: a mirror and an ordered list of suites (<see cref="SuiteList"/>), or the older
/// form of one suite and the suites that update it (<see cref="Suite"/>, <see cref="Updates"/>, <see cref="Security"/>).
/// </summary>
public sealed record DebianRepositoryConfig
{
    /// <summary>Debian's own mirror.</summary>
    public static readonly Uri DefaultMirror = new("http://deb.debian.org/debian/");

    /// <summary>Debian's security archive (a separate path on the same host).</summary>
    public static readonly Uri DefaultSecurity = new("http://deb.debian.org/debian-security/");

    /// <summary>Debian's snapshot archive: every file the archive ever published, by the time it was published.</summary>
    public static readonly Uri DefaultSnapshot = new("http://snapshot.debian.org/");

    /// <summary>The suffix of the suites that are read from the security archive.</summary>
    public const string SecuritySuffix = "-security";

    /// <summary>The mirror holding <c>dists/</c> and <c>pool/</c>.</summary>
    public Uri Mirror { get; init; } = DefaultMirror;

    /// <summary>The suites to read, in order (e.g. sid, forky, trixie, trixie-updates, trixie-security); null for the <see cref="Suite"/> form.</summary>
    public IReadOnlyList<string>? SuiteList { get; init; }

    /// <summary>The older form's suite (codename), e.g. bookworm; ignored when <see cref="SuiteList"/> is given.</summary>
    public string Suite { get; init; } = "bookworm";

    /// <summary>The archive component holding the emulators.</summary>
    public string Component { get; init; } = "main";

    /// <summary>The older form: also read <c>SUITE-updates</c> on <see cref="Mirror"/>.</summary>
    public bool Updates { get; init; } = true;

    /// <summary>
    /// The security archive. In the older form, giving it also reads <c>SUITE-security</c> from it (null: none); with
    /// <see cref="SuiteList"/>, every <c>*-security</c> suite is read from it (null: <see cref="DefaultSecurity"/>).
    /// </summary>
    public Uri? Security { get; init; }

    /// <summary>The snapshot archive a locked package is taken from once the mirror no longer lists it.</summary>
    public Uri Snapshot { get; init; } = DefaultSnapshot;

    /// <summary>Debian's archive keyring (package debian-archive-keyring): what a suite's InRelease must be signed by.</summary>
    public const string DefaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    /// <summary>The OpenPGP keyring the suites' InRelease files are verified against (gpgv).</summary>
    public string Keyring { get; init; } = DefaultKeyring;

    /// <summary>
    /// Refuse an InRelease whose Valid-Until has passed (a replayed old copy); false only for a mirror known to be a
    /// frozen copy (qus-fetch --ignore-valid-until, like apt's Acquire::Check-Valid-Until=false). Signatures are checked either way.
    /// </summary>
    public bool CheckValidUntil { get; init; } = true;

    /// <summary>Whether a suite is read from the security archive (its name ends with <c>-security</c>).</summary>
    public static bool IsSecuritySuite(string suite) => suite.EndsWith(SecuritySuffix, StringComparison.Ordinal);

    /// <summary>Every (mirror, suite) to search, in order: a version is taken from the first that has it.</summary>
    public IReadOnlyList<(Uri Mirror, string Suite)> Suites()
    {
        if (SuiteList is { } list)
        {
            return [.. list.Select(s => (IsSecuritySuite(s) ? Security ?? DefaultSecurity : Mirror, s))];
        }

        var suites = new List<(Uri, string)> { (Mirror, Suite) };
        if (Updates)
        {
            suites.Add((Mirror, Suite + "-updates"));
        }

        if (Security is not null)
        {
            suites.Add((Security, Suite + SecuritySuffix));
        }

        return suites;
    }
}
