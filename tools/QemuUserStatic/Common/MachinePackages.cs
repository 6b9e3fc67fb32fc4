using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>How this process may run <c>apt-get install</c>.</summary>
public enum AptAccess
{
    /// <summary>Not at all: no apt-get, or neither root nor password-less sudo. Missing packages are named instead.</summary>
    None,

    /// <summary>As root.</summary>
    Root,

    /// <summary>Through password-less sudo (<c>sudo -n</c>: a CI runner's).</summary>
    Sudo,
}

/// <summary>
/// What <see cref="MachinePackages.EnsureAsync"/> left: the packages still not installed and, when an install was
/// tried and failed, apt-get's error.
/// </summary>
/// <param name="Missing">The packages still not installed (none when all are).</param>
/// <param name="InstallError">apt-get's last error line when it was run and failed; null when it was not run.</param>
public sealed record PackagesState(IReadOnlyList<string> Missing, string? InstallError)
{
    /// <summary>True when every package is installed.</summary>
    public bool Complete => Missing.Count == 0;

    /// <summary>What is wrong, for a one-line error: the packages missing and how to get them, or why installing them failed.</summary>
    public string Problem => InstallError is null
        ? $"missing Debian packages: {string.Join(' ', Missing)} (apt-get install them, or run as root or with password-less sudo)"
        : $"could not install {string.Join(' ', Missing)}: {LogText.Terminal(InstallError)}";
}

/// <summary>
/// The Debian packages of this machine: which are not installed (dpkg-query), and installing them with apt-get where
/// this process may (<see cref="AptAccess"/>, found out unless given). The one way the tools install what they need:
/// the local pipeline's prerequisites, the guest set's cross compilers.
/// </summary>
public sealed class MachinePackages(AptAccess? access = null)
{
    private AptAccess? known = access;

    /// <summary>How this process may install packages: root, else password-less sudo, else not (also without apt-get).</summary>
    public async Task<AptAccess> AccessAsync(CancellationToken cancellationToken)
    {
        if (known is { } given)
        {
            return given;
        }

        known = !CommandPath.Exists("apt-get") ? AptAccess.None
            : Environment.IsPrivilegedProcess ? AptAccess.Root
            : CommandPath.Exists("sudo") && (await ExternalCommand.RunAsync("sudo", ["-n", "true"], cancellationToken: cancellationToken).ConfigureAwait(false)).Succeeded
                ? AptAccess.Sudo
                : AptAccess.None;
        return known.Value;
    }

    /// <summary>Those of <paramref name="packages"/> dpkg-query does not know as installed, in their order (all of them without dpkg-query).</summary>
    public static async Task<IReadOnlyList<string>> AbsentAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        if (packages.Count == 0 || !CommandPath.Exists("dpkg-query"))
        {
            return packages;
        }

        // One question for all: dpkg-query names the unknown ones on stderr (exit 1) and still prints the others.
        var status = await ExternalCommand.RunAsync(
            "dpkg-query", ["-W", "-f=${Package} ${Status}\n", .. packages], cancellationToken: cancellationToken).ConfigureAwait(false);
        var installed = status.StandardOutput.Split('\n')
            .Where(line => line.EndsWith(" install ok installed", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf(' ', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
        return packages.Where(p => !installed.Contains(p)).ToList();
    }

    /// <summary>
    /// Installs those of <paramref name="packages"/> not installed where this process may (said first through
    /// <paramref name="installing"/>, given their names), with their recommended packages when
    /// <paramref name="recommends"/>; apt's lists are updated and the install tried again when it first fails.
    /// Returns what is still missing.
    /// </summary>
    public async Task<PackagesState> EnsureAsync(
        IReadOnlyList<string> packages, bool recommends, Action<string> installing, CancellationToken cancellationToken)
    {
        var absent = await AbsentAsync(packages.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var how = absent.Count == 0 ? AptAccess.None : await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (how == AptAccess.None)
        {
            return new PackagesState(absent, null);
        }

        installing(string.Join(' ', absent));
        string[] install = ["install", "-y", "-qq", .. recommends ? Array.Empty<string>() : ["--no-install-recommends"], .. absent];
        var result = await AptAsync(how, install, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && (await AptAsync(how, ["update", "-qq"], cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            result = await AptAsync(how, install, cancellationToken).ConfigureAwait(false);
        }

        var missing = await AbsentAsync(absent, cancellationToken).ConfigureAwait(false);
        return new PackagesState(missing, missing.Count == 0 ? null : result.LastError);
    }

    // sudo resets the environment, so the front end is set by env under it, and the same way as root.
    private static Task<ProcessOutput> AptAsync(AptAccess how, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string[] command = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", .. arguments];
        return how == AptAccess.Sudo
            ? ExternalCommand.RunAsync("sudo", ["-n", .. command], cancellationToken: cancellationToken)
            : ExternalCommand.RunAsync(command[0], command[1..], cancellationToken: cancellationToken);
    }
}
