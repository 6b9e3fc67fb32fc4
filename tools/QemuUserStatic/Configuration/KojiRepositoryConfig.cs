namespace QemuUserStatic.Configuration;

/// <summary>The Koji instance qus-fetch asks for Fedora builds: the hub (XML-RPC) and the file tree (topurl).</summary>
public sealed record KojiRepositoryConfig
{
    /// <summary>Fedora's Koji hub.</summary>
    public static readonly Uri DefaultHub = new("https://koji.fedoraproject.org/kojihub");

    /// <summary>Fedora's Koji file tree (packages/NAME/VERSION/RELEASE/ARCH/...).</summary>
    public static readonly Uri DefaultTopUrl = new("https://kojipkgs.fedoraproject.org/");

    /// <summary>The hub's XML-RPC endpoint.</summary>
    public Uri Hub { get; init; } = DefaultHub;

    /// <summary>The root of the file tree builds are downloaded from.</summary>
    public Uri TopUrl { get; init; } = DefaultTopUrl;

    /// <summary>The Koji package (source RPM name) whose builds carry qemu-user-static.</summary>
    public string Package { get; init; } = "qemu";
}
