using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>
/// What one qus-fetch run does: fetch the packages (the default), or only print the configuration
/// (<see cref="PrintConfig"/>), check for a newer version (<see cref="Check"/>), or write the lock (<see cref="Update"/>).
/// </summary>
internal sealed record FetchOptions
{
    /// <summary>The pipeline configuration the request was resolved from.</summary>
    public required PipelineConfig Configuration { get; init; }

    /// <summary>Source, version, hosts and addresses, with the command line's overrides applied.</summary>
    public required FetchRequest Request { get; init; }

    /// <summary>The folder for the packages and fetched.json.</summary>
    public string Output { get; init; } = "out/fetch";

    /// <summary>The download cache folder (default: <see cref="DownloadCache.DefaultRoot"/>).</summary>
    public string? Cache { get; init; }

    /// <summary>Only print the resolved configuration (and set it as step outputs).</summary>
    public bool PrintConfig { get; init; }

    /// <summary>Only compare the configured version with the newest stable one.</summary>
    public bool Check { get; init; }

    /// <summary>Write the lock for the pinned version; with <see cref="Check"/>, first pin a newer version.</summary>
    public bool Update { get; init; }

    /// <summary>Fetch the newest available version when the pinned one is gone (local runs).</summary>
    public bool NewestIfGone { get; init; }

    /// <summary>An OpenPGP public key file RPMs must carry a valid signature by, or null.</summary>
    public string? Keyring { get; init; }

    /// <summary>Accept a Debian InRelease whose Valid-Until has passed (signatures are still checked).</summary>
    public bool IgnoreValidUntil { get; init; }
}
