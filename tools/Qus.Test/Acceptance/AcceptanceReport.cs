using System.Globalization;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance;

/// <summary>What a run gave: each case's result, what could not be restored, and how long it all took.</summary>
/// <param name="Engine">The engine's name.</param>
/// <param name="EngineDescription">What the engine was and how it ran the registering containers.</param>
/// <param name="Settings">The run's settings.</param>
/// <param name="Results">The cases' results, in order.</param>
/// <param name="RestoreFailures">Entries of binfmt_misc that could not be put back.</param>
/// <param name="Duration">Wall-clock time of the whole run.</param>
internal sealed record AcceptanceReport(
    string Engine, string EngineDescription, AcceptanceSettings Settings, IReadOnlyList<CaseResult> Results,
    IReadOnlyList<string> RestoreFailures, TimeSpan Duration)
{
    /// <summary>Cases that passed.</summary>
    public int Passed => Count(CaseOutcome.Passed);

    /// <summary>Cases that failed.</summary>
    public int Failed => Count(CaseOutcome.Failed);

    /// <summary>Cases the engine could not run.</summary>
    public int NotApplicable => Count(CaseOutcome.NotApplicable);

    /// <summary>True when no case failed and the table was put back.</summary>
    public bool Succeeded => Failed == 0 && RestoreFailures.Count == 0;

    /// <summary>The exit code: 0 only when nothing failed.</summary>
    public int ExitCode => Succeeded ? ExitCodes.Success : ExitCodes.Failure;

    /// <summary>The summary line.</summary>
    public string Summary =>
        string.Create(CultureInfo.InvariantCulture,
            $"qus-test: {Results.Count} cases on {Engine} ({Settings.Target.Name} on {Settings.HostArch}): {Passed} passed, {Failed} failed, " +
            $"{NotApplicable} not applicable in {Duration.TotalSeconds:0.0} s") +
        (RestoreFailures.Count == 0 ? "" : $"; binfmt_misc not fully restored ({RestoreFailures.Count} entries)");

    /// <summary>The GitHub job summary: a heading, a table of the cases, and the failures' reasons.</summary>
    public string ToMarkdown()
    {
        var rows = Results.Select(r => (IReadOnlyList<string>)
        [
            r.Number.ToString(CultureInfo.InvariantCulture), r.Title, r.Label,
            string.Create(CultureInfo.InvariantCulture, $"{r.Duration.TotalSeconds:0.0} s"),
            (r.Reason ?? "").ReplaceLineEndings(" "),
        ]);
        return $"### qus-test ({EngineDescription})\n\n" +
               GitHubActions.MarkdownTable(["case", "checks", "result", "time", "detail"], rows) +
               $"\n{Summary}\n";
    }

    private int Count(CaseOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}
