namespace QemuUserStatic.Acceptance;

/// <summary>One case's result: its number and title, how it ended and why, how long it took, and what it ran.</summary>
/// <param name="Number">The case's number (1-7, as in the original test.sh order).</param>
/// <param name="Title">What it checks, in one line.</param>
/// <param name="Outcome">Passed, failed or not applicable.</param>
/// <param name="Reason">Why it failed or does not apply; null when it passed.</param>
/// <param name="Duration">Wall-clock time.</param>
/// <param name="Transcript">The commands it ran and what they printed.</param>
internal sealed record CaseResult(int Number, string Title, CaseOutcome Outcome, string? Reason, TimeSpan Duration, string Transcript)
{
    /// <summary>The outcome as the result line shows it: PASS, FAIL or N/A.</summary>
    public string Label => Outcome switch
    {
        CaseOutcome.Passed => "PASS",
        CaseOutcome.Failed => "FAIL",
        _ => "N/A",
    };

    /// <summary>The case's name in reports: number and title.</summary>
    public string Name => $"{Number} {Title}";

    /// <summary>The result line: label, number, title and time, then the reason indented on the next line.</summary>
    public string ToLine()
    {
        var line = FormattableString.Invariant($"{Label,-4}  {Number}  {Title}  ({Duration.TotalSeconds:0.0} s)");
        return Reason is null ? line : line + "\n" + string.Join('\n', Reason.Split('\n').Select(l => "         " + l));
    }
}
