using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;
using QemuUserStatic.Net;
using QemuUserStatic.Packages;
using QemuUserStatic.Versions;

namespace QemuUserStatic.Fetch.Debian;

/// <summary>
/// Debian's static QEMU emulators: found for each host through the <c>Packages</c> index of the configured suites
/// (in order; a version is taken from the first suite listing it), downloaded from the pool, checked against the
/// index's Size and SHA256; each index is checked against its suite's InRelease, whose signature is checked against
/// the archive keyring. Which binary package carries them depends on the version (<see cref="PackageFor"/>). A pinned
/// version the suites no longer list is taken from the snapshot archive when <paramref name="pins"/> locks it.
/// </summary>
internal sealed class DebianRepository(Downloader downloader, DebianRepositoryConfig config, PinLock? pins = null) : IPackageRepository
{
    private readonly AsyncMemo<(Uri, string), SignedRelease?> releases = new();

    /// <summary>The binary package that carried the static emulators before <see cref="UserPackageSince"/>.</summary>
    public const string StaticPackage = "qemu-user-static";

    /// <summary>The binary package that carries them from <see cref="UserPackageSince"/> on (qemu-user-static is then symlinks).</summary>
    public const string UserPackage = "qemu-user";

    /// <summary>The first version whose <see cref="UserPackage"/> holds the static emulators (usr/bin/qemu-ARCH).</summary>
    public const string UserPackageSince = "1:9.0.2+ds-7";

    private static readonly string[] Packages = [StaticPackage, UserPackage];

    /// <summary>
    /// The binary package holding the static emulators in Debian version <paramref name="version"/>:
    /// <see cref="UserPackage"/> from <see cref="UserPackageSince"/> on, <see cref="StaticPackage"/> before.
    /// </summary>
    public static string PackageFor(string version) =>
        DebianVersionComparer.Instance.Compare(version, UserPackageSince) >= 0 ? UserPackage : StaticPackage;

    /// <inheritdoc />
    public string Description => Downloader.Describe(config.Mirror);

    /// <inheritdoc />
    public string Identity => $"debian {config.Component} " + string.Join(" ", config.Suites().Select(s => $"{s.Mirror.AbsoluteUri} {s.Suite}"));

    /// <inheritdoc />
    public async Task<IReadOnlyList<RepositoryPackage>> ResolveAsync(QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var packages = new List<RepositoryPackage>();
        foreach (var host in hosts)
        {
            var arch = DebianArch(host);
            var stanzas = await StanzasAsync(arch, cancellationToken).ConfigureAwait(false);
            var found = stanzas.FirstOrDefault(s => s.Stanza["Version"] == version.Full && s.Stanza["Architecture"] == arch);
            if (found.Stanza is not null)
            {
                packages.Add(ToPackage(host, found.Mirror, found.Suite, found.Stanza) with { ListedAt = found.Date });
                continue;
            }

            var missing = $"{Description}: no {PackageFor(version.Full)} {version} for {arch} in {string.Join(", ", config.Suites().Select(s => s.Suite))} " +
                          $"(there: {(stanzas.Count == 0 ? "none" : string.Join(", ", stanzas.Select(s => $"{s.Stanza["Version"]} ({s.Suite})")))})";
            var locked = pins?.Find(host, version.Full) ?? throw new PinnedVersionGoneException(
                $"{missing}; {(pins is null ? "no " + PinLock.FileName : PinLock.FileName + " has no entry for it")} to take it from the snapshot archive");
            var url = locked.SnapshotUrl(config.Snapshot);
            downloader.Reporter.Line($"{locked.Package} {locked.Version} ({locked.Arch}) is gone from the suites; taking it from {Downloader.Describe(url)} as {PinLock.FileName} locks it");
            packages.Add(new RepositoryPackage(
                host, PackageFormat.Deb, locked.Package, locked.Version, locked.Arch,
                new RemoteFile(url, Path.GetFileName(locked.Filename), locked.Size, locked.Sha256),
                Suite: locked.Suite, PoolPath: locked.Filename, FromSnapshot: true));
        }

        return packages;
    }

    /// <inheritdoc />
    public async Task<LatestVersions> LatestStableAsync(IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        HashSet<string>? common = null;
        var newest = new Dictionary<string, string>();
        foreach (var host in hosts)
        {
            var versions = (await StanzasAsync(DebianArch(host), cancellationToken).ConfigureAwait(false))
                .Select(s => s.Stanza["Version"]!)
                .Where(v => !PreReleaseVersion.IsReleaseCandidate(v))
                .ToList();
            if (versions.Count > 0)
            {
                newest[host] = versions.Max(DebianVersionComparer.Instance)!;
            }

            common = common is null ? [.. versions] : [.. common.Intersect(versions)];
        }

        var latest = common?.Max(DebianVersionComparer.Instance)
            ?? throw new UserException($"{Description}: no stable {UserPackage} (or, before {UserPackageSince}, {StaticPackage}) version is available for every host ({string.Join(", ", hosts)}) in {string.Join(", ", config.Suites().Select(s => s.Suite))}");
        var ahead = newest.Where(n => DebianVersionComparer.Instance.Compare(n.Value, latest) > 0)
            .ToDictionary(n => n.Key, n => new QemuVersion(PackageOrigin.Debian, n.Value, null));
        return new LatestVersions(new QemuVersion(PackageOrigin.Debian, latest, null), ahead);
    }

    /// <inheritdoc />
    public int Compare(QemuVersion x, QemuVersion y) => DebianVersionComparer.Instance.Compare(x.Full, y.Full);

    private static string DebianArch(string host) =>
        ArchitectureTable.DebianArch(host) ?? throw new UserException($"Debian builds no {UserPackage} or {StaticPackage} for host {host}");

    /// <summary>
    /// Every stanza carrying the static emulators (the package <see cref="PackageFor"/> its version) in the configured
    /// suites for one architecture, in suite order. A suite the mirror does not have is skipped; one must exist.
    /// </summary>
    private async Task<List<(Uri Mirror, string Suite, DateTimeOffset? Date, Deb822Stanza Stanza)>> StanzasAsync(string arch, CancellationToken cancellationToken)
    {
        var stanzas = new List<(Uri, string, DateTimeOffset?, Deb822Stanza)>();
        var suites = config.Suites();
        var existing = 0;
        foreach (var (mirror, suite) in suites)
        {
            if (await ReleaseAsync(mirror, suite, cancellationToken).ConfigureAwait(false) is { } release)
            {
                existing++;
                var index = await IndexAsync(release, mirror, suite, arch, cancellationToken).ConfigureAwait(false);
                stanzas.AddRange(index.Where(s => s["Version"] is { } v && s["Package"] == PackageFor(v)).Select(s => (mirror, suite, release.Date, s)));
            }
        }

        return existing > 0 ? stanzas : throw new UserException(
            $"{Downloader.Describe(SignedRelease.UrlOf(suites[0].Mirror, suites[0].Suite))}: HTTP 404 Not Found (no suite {suites[0].Suite} there)" +
            (suites.Count > 1 ? $"; none of the configured suites exists ({string.Join(", ", suites.Select(s => s.Suite))})" : ""));
    }

    private Task<SignedRelease?> ReleaseAsync(Uri mirror, string suite, CancellationToken cancellationToken) =>
        releases.GetAsync((mirror, suite), async () =>
        {
            var release = await SignedRelease.FetchAsync(
                downloader, mirror, suite, config.Keyring, config.CheckValidUntil ? DateTimeOffset.UtcNow : null, cancellationToken).ConfigureAwait(false);
            if (release is null)
            {
                downloader.Reporter.Line($"{Downloader.Describe(SignedRelease.UrlOf(mirror, suite))}: HTTP 404 Not Found: no suite {suite} there, skipped");
            }

            return release;
        });

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
                return PackagesIndex.Read(bytes, fileName, Packages);
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
            {
                throw new UserException($"{Downloader.Describe(url)}: not a readable Packages index ({ex.Message})");
            }
        }

        throw new UserException($"{Downloader.Describe(PackagesIndex.Url(mirror, suite, config.Component, arch, listed[0]))}: HTTP 404 Not Found (listed in the suite's InRelease)");
    }

    private static RepositoryPackage ToPackage(string host, Uri mirror, string suite, Deb822Stanza stanza)
    {
        var filename = stanza["Filename"];
        var sha256 = stanza["SHA256"]?.ToLowerInvariant();
        if (filename is null || sha256 is not { Length: 64 } || !long.TryParse(stanza["Size"], out var size))
        {
            throw new UserException($"{Downloader.Describe(mirror)} {suite}: the {stanza["Package"]} entry lacks Filename, Size or SHA256");
        }

        var remote = new RemoteFile(UrlPath.Combine(mirror, filename), Path.GetFileName(filename), size, sha256);
        return new RepositoryPackage(host, PackageFormat.Deb, stanza["Package"]!, stanza["Version"]!, stanza["Architecture"]!, remote, Suite: suite, PoolPath: filename);
    }
}
