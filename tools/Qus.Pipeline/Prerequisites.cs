using QemuUserStatic.Common;
using QemuUserStatic.Guests;

namespace Qus.Pipeline;

/// <summary>
/// What the pipeline needs of this machine: as root (or with password-less sudo) on Debian the packages it uses are
/// installed when missing (said first), and then everything still missing is named in one line before any step runs.
/// </summary>
internal static class Prerequisites
{
    /// <summary>The Debian packages the chain uses: unshare (the sandbox), gpgv and the keyring (qus-fetch).</summary>
    private static readonly string[] DebianPackages = ["util-linux", "gpgv", DebianDownload.KeyringPackage];

    /// <summary>
    /// Installs the missing <see cref="DebianPackages"/> as root or with password-less sudo (<see cref="MachinePackages"/>);
    /// a failure is said, not fatal (<see cref="Missing"/> names what a run then lacks).
    /// </summary>
    public static async Task InstallDebianPackagesAsync(CancellationToken cancellationToken)
    {
        var state = await new MachinePackages().EnsureAsync(
            DebianPackages, recommends: false,
            absent => Console.Error.WriteLine($"{PipelineOptions.Name}: installing {absent} (Debian packages the pipeline uses)"), cancellationToken);
        if (state.InstallError is not null)
        {
            Console.Error.WriteLine($"{PipelineOptions.Name}: {state.Problem}");
        }
    }

    /// <summary>Every missing prerequisite of a run with <paramref name="options"/> (<paramref name="engine"/> resolved), said as "NAME (how to get it)".</summary>
    public static IReadOnlyList<string> Missing(PipelineOptions options, TestEngine engine)
    {
        var missing = new List<string>();
        void Need(string command, string hint)
        {
            if (!CommandPath.Exists(command))
            {
                missing.Add($"{command} ({hint})");
            }
        }

        if (options.Base is null || options.Guest is null)
        {
            // The local busybox images: Debian's busybox-static packages, downloaded by apt-get.
            Need("apt-get", "a Debian-like system, or give --base and --guest-image");
        }

        if (engine == TestEngine.Docker)
        {
            Need("docker", "apt-get install docker.io");
        }
        else
        {
            Need("unshare", "apt-get install util-linux");
        }

        if (options.GitHub.Length > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GITHUB_TOKEN")))
        {
            missing.Add($"GITHUB_TOKEN (a token that may write releases of {options.GitHub})");
        }

        return missing;
    }
}
