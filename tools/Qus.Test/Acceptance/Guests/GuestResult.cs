namespace QemuUserStatic.Acceptance.Guests;

/// <summary>One target's guest on one host: how it ended, why, how long it took and what it ran.</summary>
/// <param name="Host">The host architecture whose emulator ran it (x86_64, aarch64).</param>
/// <param name="Target">The target.</param>
/// <param name="Outcome">Passed, failed, no guest or native here.</param>
/// <param name="Reason">Why it failed or did not run; null when it passed.</param>
/// <param name="Duration">Wall-clock time of the run.</param>
/// <param name="Transcript">The command and what it printed.</param>
internal sealed record GuestResult(string Host, string Target, GuestOutcome Outcome, string? Reason, TimeSpan Duration, string Transcript)
{
    /// <summary>The outcome as the result line and the table show it.</summary>
    public string Label => Outcome switch
    {
        GuestOutcome.Passed => "PASS",
        GuestOutcome.Failed => "FAIL",
        GuestOutcome.NoGuest => "no guest",
        _ => "native",
    };

    /// <summary>The result line: label, host, target, time, and the reason on the next line.</summary>
    public string ToLine()
    {
        var line = FormattableString.Invariant($"{Label,-8}  {Host,-8}  {Target,-12}  ({Duration.TotalSeconds:0.00} s)");
        return Reason is null ? line : line + "\n" + string.Join('\n', Reason.Split('\n').Select(l => "          " + l));
    }
}
