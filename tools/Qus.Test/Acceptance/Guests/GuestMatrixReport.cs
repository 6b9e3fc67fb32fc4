using System.Globalization;
using System.Xml.Linq;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance.Guests;

/// <summary>What a guest run gave: every target's result on every host, what could not be restored, how long it took.</summary>
/// <param name="Engine">The engine's name.</param>
/// <param name="EngineDescription">What the engine was.</param>
/// <param name="MachineHost">This machine's architecture.</param>
/// <param name="Hosts">The hosts whose releases ran, in order.</param>
/// <param name="Results">Every result, host by host.</param>
/// <param name="RestoreFailures">Entries of binfmt_misc that could not be put back.</param>
/// <param name="Duration">Wall-clock time of the whole run.</param>
internal sealed record GuestMatrixReport(
    string Engine, string EngineDescription, string MachineHost, IReadOnlyList<string> Hosts, IReadOnlyList<GuestResult> Results,
    IReadOnlyList<string> RestoreFailures, TimeSpan Duration)
{
    /// <summary>True when no guest failed and the table was put back.</summary>
    public bool Succeeded => Count(GuestOutcome.Failed) == 0 && RestoreFailures.Count == 0;

    /// <summary>The exit code: 0 only when nothing failed.</summary>
    public int ExitCode => Succeeded ? ExitCodes.Success : ExitCodes.Failure;

    /// <summary>The closing line: the table's counts and the time.</summary>
    public string Summary =>
        string.Create(CultureInfo.InvariantCulture,
            $"qus-test: guests on {Engine}, {Hosts.Count} hosts ({string.Join(", ", Hosts)}) on this {MachineHost} machine: " +
            $"{Count(GuestOutcome.Passed)} passed, {Count(GuestOutcome.Failed)} failed, {Count(GuestOutcome.NoGuest)} no guest, " +
            $"{Count(GuestOutcome.Native)} native here in {Duration.TotalSeconds:0.0} s") +
        (RestoreFailures.Count == 0 ? "" : $"; binfmt_misc not fully restored ({RestoreFailures.Count} entries)");

    /// <summary>The GitHub job summary: the target x host table, then the failures' reasons.</summary>
    public string ToMarkdown()
    {
        var targets = Results.Select(r => r.Target).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = targets.Select(target => (IReadOnlyList<string>)
        [
            target, .. Hosts.Select(host => Results.FirstOrDefault(r => r.Host == host && r.Target == target)?.Label ?? "-"),
        ]);
        var failures = Results.Where(r => r.Outcome == GuestOutcome.Failed).Select(r => $"- {r.Reason!.ReplaceLineEndings(" ")}\n");
        return $"### qus-test: every guest on every host ({EngineDescription})\n\n" +
               GitHubActions.MarkdownTable(["target", .. Hosts], rows) + "\n" + string.Concat(failures) + $"\n{Summary}\n";
    }

    /// <summary>JUnit: one test suite per host, named by the host, one test case per target, named by the target.</summary>
    public XDocument ToJUnit()
    {
        var suites = Hosts.Select(host =>
        {
            var results = Results.Where(r => r.Host == host).ToList();
            return new XElement("testsuite",
                new XAttribute("name", host),
                new XAttribute("tests", results.Count),
                new XAttribute("failures", results.Count(r => r.Outcome == GuestOutcome.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", results.Count(r => r.Outcome is GuestOutcome.NoGuest or GuestOutcome.Native)),
                new XAttribute("time", JUnitReport.Seconds(TimeSpan.FromTicks(results.Sum(r => r.Duration.Ticks)))),
                new XElement("properties", JUnitReport.Property("engine", EngineDescription), JUnitReport.Property("machine", MachineHost)),
                results.Select(TestCase));
        });
        var root = new XElement("testsuites",
            new XAttribute("name", "qus-test guests"),
            new XAttribute("tests", Results.Count),
            new XAttribute("failures", Count(GuestOutcome.Failed)),
            new XAttribute("errors", RestoreFailures.Count == 0 ? 0 : 1),
            new XAttribute("skipped", Count(GuestOutcome.NoGuest) + Count(GuestOutcome.Native)),
            new XAttribute("time", JUnitReport.Seconds(Duration)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement TestCase(GuestResult result)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", $"qus-test.guests.{result.Host}"),
            new XAttribute("name", result.Target),
            new XAttribute("time", JUnitReport.Seconds(result.Duration)));
        if (result.Outcome == GuestOutcome.Failed)
        {
            element.Add(new XElement("failure", new XAttribute("message", result.Reason!), result.Reason));
        }
        else if (result.Outcome != GuestOutcome.Passed)
        {
            element.Add(new XElement("skipped", new XAttribute("message", $"{result.Label}: {result.Reason}")));
        }

        element.Add(new XElement("system-out", JUnitReport.Printable(result.Transcript)));
        return element;
    }

    private int Count(GuestOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}
