using System.Globalization;
using QemuUserStatic.Cli;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Fetch;

/// <summary>What a qus-fetch run did; only the part of its kind of run is set.</summary>
internal sealed record FetchResult : IStepResult
{
    /// <summary><c>--print-config</c>: the resolved settings, in their fixed order.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary><c>--check</c>: the configured and the newest version.</summary>
    public VersionCheckOutcome? Check { get; init; }

    /// <summary><c>--check --update</c>: the configuration file the newer version was pinned in, when it was.</summary>
    public string? PinnedIn { get; init; }

    /// <summary><c>--update</c> alone: the version the lock was written for.</summary>
    public string? Locked { get; init; }

    /// <summary>A fetch: the output folder (absolute).</summary>
    public string? Output { get; init; }

    /// <summary>A fetch: what fetched.json says (source, version, every file and its checks).</summary>
    public FetchedList? Fetched { get; init; }

    /// <summary>A fetch: the path of fetched.json.</summary>
    public string? FetchedFile => Output is null ? null : Path.Combine(Output, FetchedList.FileName);

    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs =>
        Settings is not null ? [.. Settings.Select(s => (s.Key, s.Value))]
        : Check is not null ? [("current", Check.Current), ("latest", Check.Latest), ("newer", Check.Newer ? "true" : "false")]
        : Fetched is not null && Output is not null ?
        [
            ("files", string.Join("\n", Fetched.Files.Select(f => Path.Combine(Output, f.Name)))),
            ("fetched", FetchedFile!),
            ("version", Fetched.Version),
        ]
        : [];

    string? IStepResult.Summary => Fetched is null ? null :
        $"### qus-fetch: {Fetched.Source} {Fetched.Version}\n\n" + GitHubActions.MarkdownTable(
            ["host", "file", "size", "sha256", "verified"],
            Fetched.Files.Select(f => (IReadOnlyList<string>)[f.Host, f.Name, f.Size.ToString(CultureInfo.InvariantCulture), f.Sha256, string.Join(", ", f.Checks)]));

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => FetchResultJson.Default.FetchResult;

    int IStepResult.ExitCode => Check is { Newer: true } ? VersionCheck.NewerExitCode : ExitCodes.Success;

    /// <summary>The outcome of <c>--check</c> as full version strings.</summary>
    /// <param name="Current">The configured version.</param>
    /// <param name="Latest">The newest stable version every host has.</param>
    /// <param name="Newer">True when <paramref name="Latest"/> is newer.</param>
    /// <param name="Lagging">When some hosts have a newer version others lack, a line saying so.</param>
    public sealed record VersionCheckOutcome(string Current, string Latest, bool Newer, string? Lagging)
    {
        /// <summary>The outcome of <paramref name="check"/>.</summary>
        public static VersionCheckOutcome Of(VersionCheck check) => new(check.Current.Full, check.Latest.Full, check.Newer, check.Lagging);
    }
}
