using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Tarballs;

/// <summary>What a run's inputs must agree on: one version, one host architecture, one mtime.</summary>
/// <param name="Version">The release versions.</param>
/// <param name="FromArch">The host architecture the emulators run on (QEMU's name), prefix of the second tarball name.</param>
/// <param name="SourceDateEpoch">mtime of every file written, seconds since the epoch.</param>
internal sealed record InputFacts(ReleaseVersion Version, string FromArch, long SourceDateEpoch)
{
    /// <summary>
    /// The facts of <paramref name="packages"/>; inputs of different versions or host architectures are a user error
    /// naming them. <paramref name="fromArch"/> and <paramref name="sourceDateEpoch"/> override what the packages say.
    /// </summary>
    public static InputFacts Of(IReadOnlyList<PackageIdentity> packages, string? fromArch, long? sourceDateEpoch)
    {
        var versions = packages.Select(p => (Package: p, Version: PackageErrors.Guard(p.Path, () => ReleaseVersion.Of(p)))).ToList();
        if (versions.Select(v => v.Version).Distinct().Count() > 1)
        {
            throw new UserException("the inputs are of different versions: " +
                string.Join(", ", versions.Select(v => $"{v.Package.FileName} is {v.Version.PackageVersion}")));
        }

        var hosts = packages.Select(p => (Package: p, Host: ArchitectureTable.Normalize(p.Arch))).ToList();
        var known = hosts.Where(h => h.Host is not null).ToList();
        if (known.Select(h => h.Host).Distinct().Count() > 1)
        {
            throw new UserException("the inputs are for different host architectures: " +
                string.Join(", ", known.Select(h => $"{h.Package.FileName} is {h.Package.Arch}")));
        }

        string host;
        if (fromArch is not null)
        {
            host = ArchitectureTable.Get(fromArch, "--from-arch").Name;
        }
        else if (hosts.FirstOrDefault(h => h.Host is null) is { Package: not null } unknown)
        {
            throw new UserException(
                $"{unknown.Package.Path}: cannot tell the host architecture from arch '{unknown.Package.Arch}'; give --from-arch");
        }
        else
        {
            host = known[0].Host!;
        }

        var epoch = sourceDateEpoch ?? packages.Max(p => p.BuildTime) ?? 0;
        return new InputFacts(versions[0].Version, host, epoch);
    }
}
