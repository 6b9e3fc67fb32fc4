using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>What to fetch: the configuration with a tool's command-line overrides applied and checked.</summary>
/// <param name="Origin">Debian or Fedora.</param>
/// <param name="Version">The pinned version; null when neither the file nor the options give one.</param>
/// <param name="Hosts">Host architectures (canonical names).</param>
/// <param name="Debian">The Debian archive.</param>
/// <param name="Koji">The Koji instance (Fedora's repository).</param>
internal sealed record FetchRequest(
    PackageOrigin Origin, QemuVersion? Version, IReadOnlyList<string> Hosts, DebianRepositoryConfig Debian, KojiRepositoryConfig Koji)
{
    /// <summary>
    /// Applies overrides to <paramref name="config"/>: a version option replaces the configured version and release
    /// together; <paramref name="mirror"/> and <paramref name="snapshot"/> replace debian.mirror and debian.snapshot; host names are checked against <see cref="ArchitectureTable"/> and the source's builds.
    /// </summary>
    public static FetchRequest From(
        PipelineConfig config, string? source = null, string? version = null, string? release = null,
        IReadOnlyList<string>? hosts = null, Uri? kojiHub = null, Uri? kojiTopUrl = null, Uri? mirror = null, Uri? snapshot = null)
    {
        var packageSource = source is null ? config.Origin : ParseSource(source);
        QemuVersion? qemu;
        if (version is not null)
        {
            qemu = Option("--qemu-version/--release", () => new QemuVersion(packageSource, version, release));
        }
        else if (release is not null)
        {
            var configured = config.Qemu ?? throw new UserException("--release needs a version: give --qemu-version or set qemu.version in qus.yml");
            qemu = Option("--release", () => new QemuVersion(packageSource, configured.Version, release));
        }
        else if (config.Qemu is { } configured && configured.Origin != packageSource)
        {
            throw new UserException($"the configured version {configured} is a {configured.Origin.Name()} version: give --qemu-version for --source {packageSource.Name()}");
        }
        else
        {
            qemu = config.Qemu;
        }

        var hostNames = hosts is { Count: > 0 }
            ? hosts.Select(h => ArchitectureTable.Get(h, "host architecture (--host-arch)").Name).Distinct().ToList()
            : config.Hosts;
        foreach (var host in hostNames)
        {
            if (packageSource.PackageArch(host) is null)
            {
                throw new UserException($"{(hosts is { Count: > 0 } ? "--host-arch: " : "")}{packageSource.Name()} builds no qemu-user-static for host {host}");
            }
        }

        return new FetchRequest(
            packageSource,
            qemu,
            hostNames,
            config.Debian with { Mirror = mirror ?? config.Debian.Mirror, Snapshot = snapshot ?? config.Debian.Snapshot },
            config.Koji with { Hub = kojiHub ?? config.Koji.Hub, TopUrl = kojiTopUrl ?? config.Koji.TopUrl });
    }

    /// <summary>The version to fetch, or an error saying how to give one.</summary>
    public QemuVersion RequireVersion() =>
        Version ?? throw new UserException("no QEMU version: set qemu.version in qus.yml or pass --qemu-version");

    /// <summary>Parses a source name (debian, fedora).</summary>
    public static PackageOrigin ParseSource(string name) => name.Trim().ToLowerInvariant() switch
    {
        "debian" => PackageOrigin.Debian,
        "fedora" => PackageOrigin.Fedora,
        _ => throw new UserException($"--source: '{name}' is not a source (fedora or debian)"),
    };

    private static T Option<T>(string option, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (UserException ex)
        {
            throw new UserException($"{option}: {ex.Message}");
        }
    }
}
