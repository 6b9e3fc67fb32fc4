using System.Text.Json;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Push;

/// <summary>What qus-push pushed.</summary>
/// <param name="Destination">The repository or layout pushed to.</param>
/// <param name="Pushed">Every tag pushed, by tag, with the digest the destination holds.</param>
internal sealed record PushResult(string Destination, IReadOnlyList<PushedTag> Pushed) : IStepResult
{
    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs =>
    [
        ("digests", string.Join('\n', Pushed.Select(p => $"{p.Tag} {p.Digest}"))),
        ("digests-json", JsonSerializer.Serialize(Pushed.ToDictionary(p => p.Tag, p => p.Digest), PushJsonContext.Default.DictionaryStringString)),
    ];

    string? IStepResult.Summary => GitHubActions.MarkdownTable(
        ["pushed", "digest"], Pushed.Select(p => (IReadOnlyList<string>)[p.Reference, p.Digest]));

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => PushResultJson.Default.PushResult;

    int IStepResult.ExitCode => ExitCodes.Success;
}
