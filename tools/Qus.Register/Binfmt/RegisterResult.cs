using QemuUserStatic.Cli;

namespace QemuUserStatic.Binfmt;

/// <summary>What qus-register did: the files it exported, or the table as it left it and how many targets failed.</summary>
/// <param name="Exported">The files written by <c>--export</c> (then nothing else was done), else null.</param>
/// <param name="Status">The binfmt_misc table after the run (null after an export).</param>
/// <param name="Failures">How many targets or entries failed (each was named on stderr).</param>
internal sealed record RegisterResult(IReadOnlyList<string>? Exported, BinfmtStatus? Status, int Failures) : IStepResult
{
    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs =>
        Status is null ? [] : [("platforms", string.Join(',', Status.Platforms))];

    string? IStepResult.Summary => Status is null ? null :
        "### binfmt_misc\n\n" + GitHubActions.MarkdownTable(
            ["entry", "flags", "interpreter", "platforms"],
            Status.Entries.Where(e => BinfmtStatus.TargetOf(e) is not null).Select(e => (IReadOnlyList<string>)
            [
                e.Name, BinfmtMessages.FlagsShown(e.Entry.Flags), e.Entry.Interpreter,
                string.Join(", ", BinfmtStatus.TargetOf(e)!.Platforms.Select(p => p.Normalized().ToString())),
            ])) + $"\nPlatforms: {string.Join(", ", Status.Platforms)}\n";

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => RegisterResultJson.Default.RegisterResult;

    int IStepResult.ExitCode => Failures > 0 ? ExitCodes.Failure : ExitCodes.Success;
}
