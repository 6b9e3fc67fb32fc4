using System.Text.Json;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>
/// The configuration as the pipeline's later steps need it (<c>qus-fetch --print-config</c>): the resolved values,
/// with qus-fetch's overrides applied, as <c>key=value</c> pairs that a workflow job reads as step outputs and a
/// shell script as lines. <c>hosts</c> is a JSON array (for a matrix); <c>targets</c> is comma-separated, empty for all.
/// </summary>
internal static class PipelineSettings
{
    // One line: a workflow reads it as a step output (the context's own options indent).
    private static readonly FetchJsonContext CompactHosts = new(new JsonSerializerOptions(FetchJsonContext.Default.Options) { WriteIndented = false });

    /// <summary>The pairs, in a fixed order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(PipelineConfig config, FetchRequest request) =>
    [
        new("config", config.SourceFile ?? ""),
        new("source", request.Origin.Name()),
        new("version", request.Version?.Full ?? ""),
        new("hosts", JsonSerializer.Serialize(request.Hosts, CompactHosts.IReadOnlyListString)),
        new("targets", config.Targets is null ? "" : string.Join(',', config.Targets)),
        new("image-repository", config.ImageRepository ?? ""),
        new("github-repository", config.GitHubRepository ?? ""),
    ];
}
