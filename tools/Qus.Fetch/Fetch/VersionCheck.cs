using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>The outcome of <c>qus-fetch --check</c>: the pinned version, the newest stable one at the source.</summary>
/// <param name="Current">The configured version.</param>
/// <param name="Latest">The newest stable version available for every host.</param>
/// <param name="Newer">True when <paramref name="Latest"/> is newer than <paramref name="Current"/>.</param>
/// <param name="Lagging">When some hosts have a version newer than <paramref name="Latest"/> that others lack, a line saying so.</param>
internal sealed record VersionCheck(QemuVersion Current, QemuVersion Latest, bool Newer, string? Lagging = null)
{
    /// <summary>The exit code qus-fetch --check uses when a newer version exists.</summary>
    public const int NewerExitCode = 10;

    /// <summary>Asks <paramref name="source"/> for its newest stable version and compares.</summary>
    public static async Task<VersionCheck> RunAsync(IPackageRepository source, QemuVersion current, IReadOnlyList<string> hosts, CancellationToken cancellationToken = default)
    {
        var latest = await source.LatestStableAsync(hosts, cancellationToken).ConfigureAwait(false);
        return new VersionCheck(current, latest.Common, source.Compare(latest.Common, current) > 0, latest.Describe(hosts));
    }
}
