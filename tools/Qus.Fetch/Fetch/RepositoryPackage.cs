using QemuUserStatic.Packages;

namespace QemuUserStatic.Fetch;

/// <summary>A package the source lists for a host architecture: what it claims to be and where to download it.</summary>
/// <param name="HostArch">The host architecture it is for (canonical table name, e.g. aarch64).</param>
/// <param name="Format">RPM or .deb (never a folder).</param>
/// <param name="Name">The package name, e.g. qemu-user-static-aarch64.</param>
/// <param name="Version">The full version the source lists (Debian's Version field, Fedora's VERSION-RELEASE).</param>
/// <param name="Arch">The package's architecture as its format spells it (amd64, x86_64).</param>
/// <param name="Remote">The file and the checksums the source publishes for it.</param>
/// <param name="PayloadMd5">Koji's <c>payloadhash</c>: MD5 of an RPM's header and payload (rpm's SIGMD5); null for Debian.</param>
/// <param name="Suite">Debian: the suite that listed it (what the lock file records); null for Koji.</param>
/// <param name="PoolPath">Debian: the index's <c>Filename</c>, the path below the archive root; null for Koji.</param>
/// <param name="ListedAt">Debian: the signed Date of the suite's InRelease that listed it (the lock's "seen"); null for Koji.</param>
/// <param name="FromSnapshot">True when the source no longer lists it and it comes from the snapshot archive, as locked.</param>
internal sealed record RepositoryPackage(
    string HostArch, PackageFormat Format, string Name, string Version, string Arch, RemoteFile Remote, string? PayloadMd5 = null,
    string? Suite = null, string? PoolPath = null, DateTimeOffset? ListedAt = null, bool FromSnapshot = false);

