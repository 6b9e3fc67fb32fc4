namespace QemuUserStatic.Configuration;

/// <summary>The Debian archive qus-fetch reads: a mirror, a suite and the suites that update it.</summary>
public sealed record DebianSourceConfig
{
    /// <summary>Debian's own mirror.</summary>
    public static readonly Uri DefaultMirror = new("http://deb.debian.org/debian/");

    /// <summary>The mirror holding <c>dists/</c> and <c>pool/</c>.</summary>
    public Uri Mirror { get; init; } = DefaultMirror;

    /// <summary>The suite (codename), e.g. bookworm.</summary>
    public string Suite { get; init; } = "bookworm";

    /// <summary>The archive component holding qemu-user-static.</summary>
    public string Component { get; init; } = "main";

    /// <summary>Also read <c>SUITE-updates</c> on <see cref="Mirror"/>.</summary>
    public bool Updates { get; init; } = true;

    /// <summary>Also read <c>SUITE-security</c> from this mirror (Debian's is another host path); null for none.</summary>
    public Uri? Security { get; init; }

    /// <summary>Debian's archive keyring (package debian-archive-keyring): what a suite's InRelease must be signed by.</summary>
    public const string DefaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    /// <summary>The OpenPGP keyring the suites' InRelease files are verified against (gpgv).</summary>
    public string Keyring { get; init; } = DefaultKeyring;

    /// <summary>Every (mirror, suite) to search, the main suite first: a version is taken from the first that has it.</summary>
    public IReadOnlyList<(Uri Mirror, string Suite)> Suites()
    {
        var suites = new List<(Uri, string)> { (Mirror, Suite) };
        if (Updates)
        {
            suites.Add((Mirror, Suite + "-updates"));
        }

        if (Security is not null)
        {
            suites.Add((Security, Suite + "-security"));
        }

        return suites;
    }
}
