using System.Text.Json.Serialization;
using QemuUserStatic.Acceptance.Guests;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance;

/// <summary>What a qus-test run gave: each case's (or each guest's) result, what could not be restored, the counts.</summary>
/// <param name="Engine">The engine and how it ran the registering containers.</param>
/// <param name="Cases">The acceptance cases' results, in order (null for a guest run).</param>
/// <param name="Guests">The guests' results, host by host (null for a case run).</param>
/// <param name="RestoreFailures">Entries of binfmt_misc that could not be put back.</param>
/// <param name="Seconds">Wall-clock time of the whole run.</param>
/// <param name="JUnit">The JUnit file written, or null.</param>
/// <param name="Line">The closing line (the counts), as printed.</param>
/// <param name="Markdown">The job summary.</param>
/// <param name="Succeeded">True when nothing failed and the table was put back.</param>
internal sealed record TestResult(
    string Engine, IReadOnlyList<TestResult.Outcome>? Cases, IReadOnlyList<TestResult.Outcome>? Guests, IReadOnlyList<string> RestoreFailures,
    double Seconds, [property: JsonPropertyName("junit")] string? JUnit, string Line, [property: JsonIgnore] string Markdown, bool Succeeded) : IStepResult
{
    /// <summary>One case or guest: its name (case number and title, or HOST/TARGET), PASS, FAIL, N/A, no guest or native, the time and why.</summary>
    public sealed record Outcome(string Name, string Result, double Seconds, string? Reason);

    /// <summary>The result of an acceptance run.</summary>
    public static TestResult Of(AcceptanceReport report, string? junit) => new(
        report.EngineDescription,
        [.. report.Results.Select(r => new Outcome($"{r.Number} {r.Title}", r.Label, r.Duration.TotalSeconds, r.Reason))],
        null, report.RestoreFailures, report.Duration.TotalSeconds, junit, report.Summary, report.ToMarkdown(), report.Succeeded);

    /// <summary>The result of a guest run.</summary>
    public static TestResult Of(GuestMatrixReport report, string? junit) => new(
        report.EngineDescription, null,
        [.. report.Results.Select(r => new Outcome($"{r.Host}/{r.Target}", r.Label, r.Duration.TotalSeconds, r.Reason))],
        report.RestoreFailures, report.Duration.TotalSeconds, junit, report.Summary, report.ToMarkdown(), report.Succeeded);

    IReadOnlyList<(string Name, string Value)> IStepResult.Outputs => [];

    string? IStepResult.Summary => Markdown;

    System.Text.Json.Serialization.Metadata.JsonTypeInfo IStepResult.JsonType => TestResultJson.Default.TestResult;

    int IStepResult.ExitCode => Succeeded ? ExitCodes.Success : ExitCodes.Failure;
}
