using QemuUserStatic.Cli;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Cli;

/// <summary>How untrusted text is escaped for Actions logs, terminals and step outputs.</summary>
[Category("Unit")]
public class LogTextTests
{
    [TestCase("100% done", "100%25 done")]
    [TestCase("a\r\nb", "a%0D%0Ab")]
    [TestCase("7.2.0\n::error title=x::pwned", "7.2.0%0A::error title=x::pwned")]
    [TestCase("bell\a and esc\u001b[31m", "bell\\x07 and esc\\x1b[31m")]
    [TestCase("c1 \u009b", "c1 \\x9b")]
    [TestCase("plain text: with::colons", "plain text: with::colons")]
    public void Actions_data_is_escaped_as_the_toolkit_does(string text, string escaped) =>
        Assert.That(LogText.ActionsData(text), Is.EqualTo(escaped));

    [TestCase("::error title=x::pwned", "%3A:error title=x::pwned")]
    [TestCase("  ::warning::x", "  %3A:warning::x")]
    [TestCase("\t::add-mask::x", "\\x09::add-mask::x")]
    [TestCase("##[error]x", "%23#[error]x")]
    [TestCase("#[not a command]", "#[not a command]")]
    [TestCase("qus-tarballs: error: ::x", "qus-tarballs: error: ::x")]
    public void An_Actions_line_never_starts_a_command(string text, string escaped) =>
        Assert.That(LogText.ActionsLine(text), Is.EqualTo(escaped));

    [TestCase("a\nb\rc\td", "a\\nb\\rc\\td")]
    [TestCase("\u001b]0;title\a", "\\x1b]0;title\\x07")]
    [TestCase("100% plain", "100% plain")]
    public void A_terminal_line_has_no_control_character(string text, string escaped) =>
        Assert.That(LogText.Terminal(text), Is.EqualTo(escaped));

    [Test]
    public void Reporter_lines_and_groups_in_Actions_are_escaped()
    {
        var log = new StringWriter { NewLine = "\n" };
        var reporter = new Reporter(log, isTerminal: false, new GitHubActions(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" }));

        using (reporter.Phase("Reading x\n::error::pwned"))
        {
            reporter.Line("::error::pwned");
            reporter.Line("version 7.2.0\n::error::pwned");
        }

        Assert.That(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "::group::Reading x%0A::error::pwned", "%3A:error::pwned", "version 7.2.0%0A::error::pwned", "::endgroup::",
        }));
    }

    [Test]
    public void Reporter_lines_outside_Actions_are_escaped_for_a_terminal()
    {
        var log = new StringWriter { NewLine = "\n" };
        var reporter = TestReporter.To(log);

        using (reporter.Phase("title\u001b[2J"))
        {
            reporter.Line("a\nb");
        }

        Assert.That(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "== title\\x1b[2J", "a\\nb" }));
    }

    [Test]
    public void Single_line_outputs_are_name_value() =>
        Assert.That(GitHubActions.OutputEntry("qemu-version", "7.2.0"), Is.EqualTo("qemu-version=7.2.0\n"));

    [TestCase("a\nb")]
    [TestCase("a\rb")]
    [TestCase("x\nqus_00000000000000000000000000000000\nother=1")]
    public void Multi_line_outputs_use_a_delimiter_the_value_does_not_contain(string value)
    {
        var entry = GitHubActions.OutputEntry("digests", value);
        var delimiter = entry[("digests<<".Length)..entry.IndexOf('\n')];
        Assert.Multiple(() =>
        {
            Assert.That(delimiter, Does.Match("^qus_[0-9a-f]{32}$"));
            Assert.That(value, Does.Not.Contain(delimiter));
            Assert.That(entry, Is.EqualTo($"digests<<{delimiter}\n{value}\n{delimiter}\n"));
        });
    }

    [TestCase("")]
    [TestCase("a=b")]
    [TestCase("a<<b")]
    [TestCase("a\nb")]
    public void Output_names_are_ours_and_plain(string name) =>
        Assert.That(() => GitHubActions.OutputEntry(name, "v"), Throws.ArgumentException);
}
