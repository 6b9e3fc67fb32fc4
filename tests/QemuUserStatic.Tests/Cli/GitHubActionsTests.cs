using QemuUserStatic.Cli;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Cli;

[Category("Unit")]
public class GitHubActionsTests : TempDirTest
{
    private GitHubActions InActions() => new(new Dictionary<string, string?>
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_OUTPUT"] = Temp["output"],
        ["GITHUB_STEP_SUMMARY"] = Temp["summary"],
    });

    [Test]
    public void A_one_line_output_is_name_equals_value()
    {
        var actions = InActions();
        actions.SetOutput("digest", "sha256:abc");
        actions.SetOutput("tag", "v1");

        Assert.That(File.ReadAllText(Temp["output"]), Is.EqualTo("digest=sha256:abc\ntag=v1\n"));
    }

    [TestCase("a\nb")]
    [TestCase("a\rinjected=1")]
    [TestCase("x\nqus_\n")]
    public void A_multi_line_output_uses_a_heredoc_delimiter_the_value_does_not_contain(string value)
    {
        var entry = GitHubActions.OutputEntry("list", value);

        var lines = entry.Split('\n');
        Assert.That(lines[0], Does.Match("^list<<qus_[0-9a-f]{32}$"));
        var delimiter = lines[0]["list<<".Length..];
        Assert.That(entry, Is.EqualTo($"list<<{delimiter}\n{value}\n{delimiter}\n"));
        Assert.That(value, Does.Not.Contain(delimiter));
    }

    [Test]
    public void Heredoc_delimiters_differ_per_entry()
    {
        var first = GitHubActions.OutputEntry("a", "1\n2").Split('\n')[0];
        var second = GitHubActions.OutputEntry("a", "1\n2").Split('\n')[0];

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [TestCase("")]
    [TestCase("a=b")]
    [TestCase("a\nb")]
    [TestCase("a<<b")]
    public void A_name_that_could_break_the_file_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => GitHubActions.OutputEntry(name, "v"));
    }

    [Test]
    public void The_summary_is_appended_line_by_line()
    {
        var actions = InActions();
        actions.AppendSummary("# Title");
        actions.AppendSummary("text\n");

        Assert.That(File.ReadAllText(Temp["summary"]), Is.EqualTo("# Title\ntext\n"));
    }

    [Test]
    public void Markdown_cells_have_pipes_and_control_characters_escaped()
    {
        var table = GitHubActions.MarkdownTable(["target", "result"], [["aarch64", "ok"], ["a|b", "line\nbreak"]]);

        Assert.That(table, Is.EqualTo(
            "| target | result |\n| --- | --- |\n| aarch64 | ok |\n| a\\|b | line\\nbreak |\n"));
    }

    [Test]
    public void A_group_title_cannot_start_another_command()
    {
        var log = new StringWriter();
        using (InActions().Group(log, "build 100%\n::error::x"))
        {
            log.WriteLine("inside");
        }

        Assert.That(log.ToString(), Is.EqualTo("::group::build 100%25%0A::error::x\ninside\n::endgroup::\n"));
    }

    [Test]
    public void Outside_actions_nothing_is_written()
    {
        var outside = new GitHubActions(new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = "", ["GITHUB_STEP_SUMMARY"] = null });
        var log = new StringWriter();

        outside.SetOutput("a", "b");
        outside.AppendSummary("x");
        outside.Group(log, "t").Dispose();

        Assert.That(outside.IsActive, Is.False);
        Assert.That(log.ToString(), Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Temp.Path), Is.Empty);
    }
}
