namespace Qus.Pipeline;

/// <summary>
/// What the pipeline needs of this machine: as root on Debian the packages it uses are installed when missing
/// (said first), and then everything still missing is named in one line before any step runs.
/// </summary>
public static class Prerequisites
{
    /// <summary>The Debian packages the chain uses: unshare (the sandbox), gpgv and the keyring (qus-fetch).</summary>
    private static readonly string[] DebianPackages = ["util-linux", "gpgv", "debian-archive-keyring"];

    /// <summary>Installs the missing <see cref="DebianPackages"/> as root where apt-get and dpkg-query are; a failure is said, not fatal.</summary>
    public static async Task InstallDebianPackagesAsync(CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess || !Commands.Exists("apt-get") || !Commands.Exists("dpkg-query"))
        {
            return;
        }

        var absent = new List<string>();
        foreach (var package in DebianPackages)
        {
            var status = await Commands.OutputAsync("dpkg-query", ["-W", "-f=${Status}", package], cancellationToken);
            if (status is null || !status.Contains("install ok installed", StringComparison.Ordinal))
            {
                absent.Add(package);
            }
        }

        if (absent.Count == 0)
        {
            return;
        }

        Console.Error.WriteLine($"{PipelineOptions.Name}: installing {string.Join(' ', absent)} (Debian packages the pipeline uses)");
        string[] install = ["install", "-y", "-qq", "--no-install-recommends", .. absent];
        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        if (await Commands.OutputAsync("apt-get", install, cancellationToken, environment) is null &&
            (await Commands.OutputAsync("apt-get", ["update", "-qq"], cancellationToken) is null ||
             await Commands.OutputAsync("apt-get", install, cancellationToken, environment) is null))
        {
            Console.Error.WriteLine($"{PipelineOptions.Name}: could not install {string.Join(' ', absent)}");
        }
    }

    /// <summary>Every missing prerequisite of a run with <paramref name="options"/> (<paramref name="engine"/> resolved), said as "NAME (how to get it)".</summary>
    public static IReadOnlyList<string> Missing(PipelineOptions options, TestEngine engine)
    {
        var missing = new List<string>();
        void Need(string command, string hint)
        {
            if (!Commands.Exists(command))
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
