using QemuUserStatic.Cli;

namespace QemuUserStatic.Images;

/// <summary>What qus-images wrote: the layout and every tag with its digest.</summary>
/// <param name="Layout">The OCI image layout folder (absolute).</param>
/// <param name="Tags">The tags built, in the layout's order.</param>
internal sealed record ImagesResult(string Layout, IReadOnlyList<ImagesResult.Image> Tags) : IStepResult
{
    /// <summary>One tag and the digest of its manifest or index.</summary>
    public sealed record Image(string Tag, string Digest);

    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs =>
    [
        ("layout", Layout),
        ("tags", string.Join(',', Tags.Select(t => t.Tag))),
        ("digests", string.Join('\n', Tags.Select(t => $"{t.Tag} {t.Digest}"))),
    ];

    string? IStepResult.Summary => GitHubActions.MarkdownTable(["tag", "digest"], Tags.Select(t => (IReadOnlyList<string>)[t.Tag, t.Digest]));

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => ImagesResultJson.Default.ImagesResult;

    int IStepResult.ExitCode => ExitCodes.Success;
}
