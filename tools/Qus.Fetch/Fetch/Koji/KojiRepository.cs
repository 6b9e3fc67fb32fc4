using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Net;
using QemuUserStatic.Packages;
using QemuUserStatic.Versions;

namespace QemuUserStatic.Fetch.Koji;

/// <summary>
/// Fedora's <c>qemu-user-static</c> and <c>qemu-user-static-*</c> RPMs from Koji: the build NAME-VERSION-RELEASE
/// through <c>getBuild</c>, its RPMs per host through <c>listRPMs</c>, and for each the signed copy whose SHA-256
/// <c>getRPMChecksums</c> publishes; an RPM with no signed copy is taken as built, checked by size (and, by the
/// package reader, against Koji's payloadhash).
/// </summary>
internal sealed class KojiRepository(KojiClient koji, KojiRepositoryConfig config) : IPackageRepository
{
    /// <summary>The RPM (and prefix of the RPMs) carrying the static emulators.</summary>
    public const string RpmName = "qemu-user-static";

    /// <inheritdoc />
    public string Description => Downloader.Describe(koji.Hub);

    /// <inheritdoc />
    public string Identity => $"koji {koji.Hub.AbsoluteUri} {config.TopUrl.AbsoluteUri} {config.Package}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<RepositoryPackage>> ResolveAsync(QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var nvr = $"{config.Package}-{version.Version}-{version.Release}";
        var build = await koji.GetBuildAsync(nvr, cancellationToken).ConfigureAwait(false)
            ?? throw new UserException($"{Description}: no build {nvr} in Koji (getBuild)");
        if (build.State != KojiBuildState.Complete)
        {
            throw new UserException($"{Description}: build {nvr} is {build.State.ToString().ToUpperInvariant()}, not COMPLETE");
        }

        var packages = new List<RepositoryPackage>();
        foreach (var host in hosts)
        {
            var arch = ArchitectureTable.FedoraArch(host) ?? throw new UserException($"Fedora builds no {RpmName} for host {host}");
            var rpms = (await koji.ListRpmsAsync(build.Id, [arch], cancellationToken).ConfigureAwait(false))
                .Where(r => r.Arch == arch && IsEmulatorRpm(r.Name))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .ToList();
            if (rpms.Count == 0)
            {
                throw new UserException($"{Description}: build {nvr} has no {RpmName} RPM for {arch} (listRPMs)");
            }

            foreach (var rpm in rpms)
            {
                var signed = await koji.GetSignedSha256Async(rpm.Id, cancellationToken).ConfigureAwait(false);
                packages.Add(ToPackage(host, build, rpm, signed.FirstOrDefault()));
            }
        }

        return packages;
    }

    /// <inheritdoc />
    public async Task<LatestVersions> LatestStableAsync(IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var packageId = await koji.GetPackageIdAsync(config.Package, cancellationToken).ConfigureAwait(false)
            ?? throw new UserException($"{Description}: Koji has no package '{config.Package}' (getPackageID)");
        var builds = await koji.ListCompleteBuildsAsync(packageId, cancellationToken).ConfigureAwait(false);
        var latest = builds
            .Where(b => b.State == KojiBuildState.Complete && !PreReleaseVersion.IsReleaseCandidate(b.Version, b.Release))
            .Select(b => new QemuVersion(PackageOrigin.Fedora, b.Version, b.Release))
            .Order(Comparer<QemuVersion>.Create(Compare))
            .LastOrDefault();
        return latest is not null ? LatestVersions.Everywhere(latest) : throw new UserException($"{Description}: no complete stable build of '{config.Package}' (listBuilds)");
    }

    /// <inheritdoc />
    public int Compare(QemuVersion x, QemuVersion y)
    {
        var byVersion = RpmVersionComparer.Instance.Compare(x.Version, y.Version);
        return byVersion != 0 ? byVersion : RpmVersionComparer.Instance.Compare(x.Release, y.Release);
    }

    /// <summary>qemu-user-static and qemu-user-static-FAMILY, not their debuginfo.</summary>
    public static bool IsEmulatorRpm(string name) =>
        (name == RpmName || name.StartsWith(RpmName + "-", StringComparison.Ordinal)) &&
        !name.EndsWith("-debuginfo", StringComparison.Ordinal) && !name.EndsWith("-debugsource", StringComparison.Ordinal);

    private RepositoryPackage ToPackage(string host, KojiBuild build, KojiRpm rpm, KeyValuePair<string, string> signed)
    {
        // Koji's layout: packages/NAME/VERSION/RELEASE/ARCH/FILE as built, data/signed/SIGKEY/ARCH/FILE per signing key.
        var remote = signed.Key is null
            ? new RemoteFile(UrlPath.Combine(config.TopUrl, $"{build.RelativeFolder}{rpm.Arch}/{rpm.FileName}"), rpm.FileName, rpm.Size, null, $"koji-payload/{rpm.PayloadHash.ToLowerInvariant()}")
            : new RemoteFile(UrlPath.Combine(config.TopUrl, $"{build.RelativeFolder}data/signed/{signed.Key}/{rpm.Arch}/{rpm.FileName}"), rpm.FileName, null, signed.Value);
        return new RepositoryPackage(host, PackageFormat.Rpm, rpm.Name, $"{rpm.Version}-{rpm.Release}", rpm.Arch, remote, rpm.PayloadHash.ToLowerInvariant());
    }
}
