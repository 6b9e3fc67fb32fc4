using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// A run's results as JUnit XML (the format CI systems and GitHub test reporters read): one test suite, one test
/// case per acceptance case, <c>failure</c> for failed ones and <c>skipped</c> for the engine's not-applicable ones,
/// each with its transcript as <c>system-out</c>.
/// </summary>
internal static class JUnitReport
{
    /// <summary>The report as an XML document.</summary>
    public static XDocument ToXml(AcceptanceReport report)
    {
        var suiteName = $"qus-test {report.Engine} {report.Settings.Target.Name}";
        var counts = new object[]
        {
            new XAttribute("tests", report.Results.Count),
            new XAttribute("failures", report.Failed),
            new XAttribute("errors", report.RestoreFailures.Count == 0 ? 0 : 1),
            new XAttribute("skipped", report.NotApplicable),
            new XAttribute("time", Seconds(report.Duration)),
        };
        var suite = new XElement("testsuite", new XAttribute("name", suiteName), counts,
            new XElement("properties",
                Property("engine", report.EngineDescription),
                Property("target", report.Settings.Target.Name),
                Property("host", report.Settings.HostArch)),
            report.Results.Select(TestCaseElement));
        if (report.RestoreFailures.Count > 0)
        {
            suite.Add(new XElement("system-err", "binfmt_misc not fully restored:\n" + string.Join('\n', report.RestoreFailures)));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", new XAttribute("name", "qus-test"), counts, suite));
    }

    /// <summary>Writes the report to <paramref name="path"/> (atomically: a reader never sees half of it).</summary>
    public static Task WriteAsync(AcceptanceReport report, string path, CancellationToken cancellationToken) =>
        WriteAsync(ToXml(report), path, cancellationToken);

    /// <summary>Writes a JUnit document to <paramref name="path"/>, indented UTF-8, atomically.</summary>
    internal static Task WriteAsync(XDocument document, string path, CancellationToken cancellationToken)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        return AtomicFile.WriteAllBytesAsync(path, buffer.ToArray(), cancellationToken);
    }

    private static XElement TestCaseElement(CaseResult result)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", "qus-test"),
            new XAttribute("name", result.Name),
            new XAttribute("time", Seconds(result.Duration)));
        switch (result.Outcome)
        {
            case CaseOutcome.Failed:
                element.Add(new XElement("failure", new XAttribute("message", result.Reason ?? "failed"), result.Reason));
                break;
            case CaseOutcome.NotApplicable:
                element.Add(new XElement("skipped", new XAttribute("message", $"not applicable: {result.Reason}")));
                break;
        }

        element.Add(new XElement("system-out", Printable(result.Transcript)));
        return element;
    }

    /// <summary>A JUnit property element.</summary>
    internal static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", value));

    /// <summary>A duration as JUnit writes it (seconds, three decimals).</summary>
    internal static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>XML 1.0 cannot hold most control characters; a program's output may (a terminal escape, a stray NUL).</summary>
    internal static string Printable(string text) =>
        string.Concat(text.Select(c => XmlConvert.IsXmlChar(c) || c is '\n' or '\r' or '\t' ? c : '?'));
}
