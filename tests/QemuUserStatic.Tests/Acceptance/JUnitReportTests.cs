using System.Xml.Linq;
using QemuUserStatic.Acceptance;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>The JUnit file, the result lines and the job summary of a run with every outcome.</summary>
public sealed class JUnitReportTests
{
    private static readonly AcceptanceReport Report = new(
        "docker", "docker 20.10, registering with --privileged",
        AcceptanceSettings.For("arm64", [], SetuidWitness.Default, TimeSpan.FromMinutes(1), hostArch: "x86_64"),
        [
            new CaseResult(1, "latest registers", CaseOutcome.Passed, null, TimeSpan.FromSeconds(1.2), "$ docker run ...\nqemu-aarch64: registered\n"),
            new CaseResult(2, "the guest runs", CaseOutcome.Failed, "uname -m printed '<x86_64>' & more\nsecond line", TimeSpan.FromSeconds(0.5), "output with \u001b[31mcolour\u0000\n"),
            new CaseResult(3, "a build runs", CaseOutcome.NotApplicable, "the sandbox engine does not build images", TimeSpan.Zero, ""),
        ],
        [],
        TimeSpan.FromSeconds(2));

    [Test]
    public async Task CountsEachOutcomeAndKeepsReasonsAndTranscriptsAsValidXml()
    {
        using var work = new TempDir("qus-junit");
        var path = work["report.xml"];

        await JUnitReport.WriteAsync(Report, path, CancellationToken.None);

        var document = XDocument.Load(path);
        var suite = document.Root!.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToList();
        Assert.Multiple(() =>
        {
            Assert.That((string)document.Root.Attribute("tests")!, Is.EqualTo("3"));
            Assert.That((string)suite.Attribute("name")!, Is.EqualTo("qus-test docker aarch64"));
            Assert.That((string)suite.Attribute("failures")!, Is.EqualTo("1"));
            Assert.That((string)suite.Attribute("skipped")!, Is.EqualTo("1"));
            Assert.That((string)suite.Attribute("errors")!, Is.EqualTo("0"));
            Assert.That((string)suite.Attribute("time")!, Is.EqualTo("2.000"));
            Assert.That(cases.Select(c => (string)c.Attribute("name")!), Is.EqualTo(new[] { "1 latest registers", "2 the guest runs", "3 a build runs" }));
            Assert.That((string)cases[0].Attribute("time")!, Is.EqualTo("1.200"));
            Assert.That(cases[0].Element("failure"), Is.Null);
            Assert.That((string)cases[1].Element("failure")!.Attribute("message")!, Is.EqualTo("uname -m printed '<x86_64>' & more\nsecond line"));
            Assert.That(cases[1].Element("system-out")!.Value, Is.EqualTo("output with ?[31mcolour?\n"), "control characters XML cannot hold");
            Assert.That((string)cases[2].Element("skipped")!.Attribute("message")!, Does.Contain("does not build images"));
            Assert.That(suite.Element("properties")!.Elements().Select(p => (string)p.Attribute("value")!), Does.Contain("docker 20.10, registering with --privileged"));
        });
    }

    [Test]
    public void ResultLinesSummaryAndJobSummarySayTheSame()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Report.Results[0].ToLine(), Is.EqualTo("PASS  1  latest registers  (1.2 s)"));
            Assert.That(Report.Results[1].ToLine(), Is.EqualTo("FAIL  2  the guest runs  (0.5 s)\n         uname -m printed '<x86_64>' & more\n         second line"));
            Assert.That(Report.Results[2].ToLine(), Does.StartWith("N/A   3  a build runs  (0.0 s)"));
            Assert.That(Report.Summary, Is.EqualTo("qus-test: 3 cases on docker (aarch64 on x86_64): 1 passed, 1 failed, 1 not applicable in 2.0 s"));
            Assert.That(Report.ExitCode, Is.EqualTo(1));
            Assert.That(Report.ToMarkdown(), Does.Contain("| 2 | the guest runs | FAIL | 0.5 s | uname -m printed '<x86_64>' & more second line |"));
            Assert.That((Report with { Results = [Report.Results[0], Report.Results[2]] }).ExitCode, Is.Zero, "not applicable is no failure");
            Assert.That((Report with { Results = [Report.Results[0]], RestoreFailures = ["qemu-arm: gone"] }).ExitCode, Is.EqualTo(1), "a table not put back is");
        });
    }
}
