using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;
using QemuUserStatic.Net;
using QemuUserStatic.Versions;

namespace QemuUserStatic.Fetch.Debian;

/// <summary>
/// Debian's <c>qemu-user-static</c>: found for each host through the <c>Packages</c> index of the configured suites
/// (the main suite, then -updates and -security), downloaded from the pool, checked against the index's Size and SHA256;
/// each index is checked against its suite's InRelease, whose signature is checked against the archive keyring.
/// </summary>
public sealed class DebianPackageSource(Downloader downloader, DebianSourceConfig config) : IPackageSource
{
    private readonly AsyncMemo<(Uri, string), SignedRelease?> releases = new();

    /// <summary>The binary package carrying the static emulators.</summary>
    public const string Package = "qemu-user-static";

    /// <inheritdoc />
    public string Description => Downloader.Describe(config.Mirror);

    /// <inheritdoc />
    public string Identity => $"debian {config.Component} " + string.Join(" ", config.Suites().Select(s => $"{s.Mirror.AbsoluteUri} {s.Suite}"));

    /// <inheritdoc />
    public async Task<IReadOnlyList<SourcePackage>> ResolveAsync(QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var packages = new List<SourcePackage>();
        foreach (var host in hosts)
        {
            var arch = DebianArch(host);
            var seen = new List<string>();
            SourcePackage? found = null;
            foreach (var (mirror, suite, stanza) in await StanzasAsync(arch, cancellationToken).ConfigureAwait(false))
            {
                seen.Add($"{stanza["Version"]} ({suite})");
                if (stanza["Version"] == version.Full && stanza["Architecture"] == arch)
                {
                    found = ToPackage(host, mirror, suite, stanza);
                    break;
                }
            }

            packages.Add(found ?? throw new UserException(
                $"{Description}: no {Package} {version} for {arch} in {string.Join(", ", config.Suites().Select(s => s.Suite))} " +
                $"(there: {(seen.Count == 0 ? "none" : string.Join(", ", seen))})"));
        }

        return packages;
    }

    /// <inheritdoc />
    public async Task<QemuVersion> LatestStableAsync(IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        HashSet<string>? common = null;
        foreach (var host in hosts)
        {
            var versions = (await StanzasAsync(DebianArch(host), cancellationToken).ConfigureAwait(false))
                .Select(s => s.Stanza["Version"]!)
                .Where(v => !ReleaseCandidate.IsReleaseCandidate(v));
            common = common is null ? [.. versions] : [.. common.Intersect(versions)];
        }

        var latest = common?.Max(DebianVersionComparer.Instance)
            ?? throw new UserException($"{Description}: no stable {Package} version is available for every host ({string.Join(", ", hosts)})");
        return new QemuVersion(PackageSource.Debian, latest, null);
    }

    /// <inheritdoc />
    public int Compare(QemuVersion x, QemuVersion y) => DebianVersionComparer.Instance.Compare(x.Full, y.Full);

    private static string DebianArch(string host) =>
        ArchitectureTable.DebianArch(host) ?? throw new UserException($"Debian builds no {Package} for host {host}");

    /// <summary>Every stanza of the package in the configured suites for one architecture, main suite first.</summary>
    private async Task<List<(Uri Mirror, string Suite, Deb822Stanza Stanza)>> StanzasAsync(string arch, CancellationToken cancellationToken)
    {
        var stanzas = new List<(Uri, string, Deb822Stanza)>();
        var first = true;
        foreach (var (mirror, suite) in config.Suites())
        {
            // An -updates or -security suite may not exist for every release; the main suite must.
            if (await ReleaseAsync(mirror, suite, required: first, cancellationToken).ConfigureAwait(false) is { } release)
            {
                var index = await IndexAsync(release, mirror, suite, arch, cancellationToken).ConfigureAwait(false);
                stanzas.AddRange(index.Select(s => (mirror, suite, s)));
            }

            first = false;
        }

        return stanzas;
    }

    private async Task<SignedRelease?> ReleaseAsync(Uri mirror, string suite, bool required, CancellationToken cancellationToken)
    {
        var release = await releases.GetAsync((mirror, suite), () =>
            SignedRelease.FetchAsync(downloader, mirror, suite, config.Keyring, DateTimeOffset.UtcNow, cancellationToken)).ConfigureAwait(false);
        return release is null && required
            ? throw new UserException($"{Downloader.Describe(SignedRelease.UrlOf(mirror, suite))}: HTTP 404 Not Found (no suite {suite} there)")
            : release;
    }

    private async Task<IReadOnlyList<Deb822Stanza>> IndexAsync(SignedRelease release, Uri mirror, string suite, string arch, CancellationToken cancellationToken)
    {
        // The signed InRelease lists the indexes the suite has: a suite without this architecture has none.
        var listed = PackagesIndex.FileNames.Where(f => release.Lists($"{config.Component}/binary-{arch}/{f}")).ToList();
        if (listed.Count == 0)
        {
            return [];
        }

        foreach (var fileName in listed)
        {
            var url = PackagesIndex.Url(mirror, suite, config.Component, arch, fileName);
            if (await downloader.GetIndexAsync(url, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            release.Check($"{config.Component}/binary-{arch}/{fileName}", bytes, url);
            try
            {
                return PackagesIndex.Read(bytes, fileName, Package);
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException || ex.GetType().Namespace?.StartsWith("SharpCompress", StringComparison.Ordinal) == true)
            {
                throw new UserException($"{Downloader.Describe(url)}: not a readable Packages index ({ex.Message})");
            }
        }

        throw new UserException($"{Downloader.Describe(PackagesIndex.Url(mirror, suite, config.Component, arch, listed[0]))}: HTTP 404 Not Found (listed in the suite's InRelease)");
    }

    private static SourcePackage ToPackage(string host, Uri mirror, string suite, Deb822Stanza stanza)
    {
        var filename = stanza["Filename"];
        var sha256 = stanza["SHA256"]?.ToLowerInvariant();
        if (filename is null || sha256 is not { Length: 64 } || !long.TryParse(stanza["Size"], out var size))
        {
            throw new UserException($"{Downloader.Describe(mirror)} {suite}: the {Package} entry lacks Filename, Size or SHA256");
        }

        var remote = new RemoteFile(UrlPath.Combine(mirror, filename), Path.GetFileName(filename), size, sha256);
        return new SourcePackage(host, PackageFormat.Deb, Package, stanza["Version"]!, stanza["Architecture"]!, remote);
    }
}
