using System.Globalization;
using System.Text.Json.Serialization;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Releases;

/// <summary>What publishing did.</summary>
/// <param name="ReleaseUrl">The release's web page (null when a dry run would create it).</param>
/// <param name="ReleaseId">The release id (null when a dry run would create it).</param>
/// <param name="Tag">The release tag.</param>
/// <param name="Assets">Every file with the action taken (or, in a dry run, planned).</param>
internal sealed record PublishResult(string? ReleaseUrl, long? ReleaseId, string Tag, [property: JsonIgnore] IReadOnlyList<PlannedAsset> Assets)
    : IStepResult
{
    /// <summary>True for a dry run: nothing was changed, and the step sets no outputs.</summary>
    public bool DryRun { get; init; }

    /// <summary>Files uploaded (new, resumed or replaced), or in a dry run to be.</summary>
    public int Uploaded => Assets.Count(a => a.Changes);

    /// <summary>Files already on the release with the same bytes.</summary>
    public int Skipped => Assets.Count(a => a.Action == AssetAction.Skip);

    /// <summary>Every file as the <c>--json</c> document shows it.</summary>
    public IReadOnlyList<ReleaseFile> Files => [.. Assets.Select(a => new ReleaseFile(a.File.Name, a.File.Size, a.File.Sha256, PublishReport.Verb(a.Action)))];

    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs => DryRun ? [] :
    [
        ("release-url", ReleaseUrl ?? ""),
        ("release-id", ReleaseId?.ToString(CultureInfo.InvariantCulture) ?? ""),
        ("uploaded", Uploaded.ToString(CultureInfo.InvariantCulture)),
        ("skipped", Skipped.ToString(CultureInfo.InvariantCulture)),
    ];

    string? IStepResult.Summary => DryRun ? null :
        $"### Release [{Tag}]({ReleaseUrl})\n\n{Uploaded} uploaded, {Skipped} already there.\n\n" +
        GitHubActions.MarkdownTable(
            ["asset", "size", "sha256", "action"],
            Assets.Select(a => (IReadOnlyList<string>)[a.File.Name, ByteSize.Format(a.File.Size), $"`{a.File.Sha256}`", PublishReport.Verb(a.Action)]));

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => PublishResultJson.Default.PublishResult;

    int IStepResult.ExitCode => ExitCodes.Success;

    /// <summary>One file of the release: its name, size, SHA-256 and what was done with it (upload, skip, re-upload, replace).</summary>
    public sealed record ReleaseFile(string Name, long Size, string Sha256, string Action);
}
