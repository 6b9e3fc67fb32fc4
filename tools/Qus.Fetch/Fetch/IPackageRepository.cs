using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>Where qemu-user-static packages are listed and downloaded from (Koji, a Debian mirror).</summary>
internal interface IPackageRepository
{
    /// <summary>A short description for messages (the hub or mirror URL).</summary>
    string Description { get; }

    /// <summary>Everything that decides what the source answers (URLs, suites), to key remembered answers by.</summary>
    string Identity { get; }

    /// <summary>The packages of <paramref name="version"/> for each host, with the checksums the source publishes.</summary>
    Task<IReadOnlyList<RepositoryPackage>> ResolveAsync(QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken);

    /// <summary>The newest stable version (release candidates skipped) available for every host, and the hosts ahead of it.</summary>
    Task<LatestVersions> LatestStableAsync(IReadOnlyList<string> hosts, CancellationToken cancellationToken);

    /// <summary>Orders two versions the way this source's package manager does.</summary>
    int Compare(QemuVersion x, QemuVersion y);
}
