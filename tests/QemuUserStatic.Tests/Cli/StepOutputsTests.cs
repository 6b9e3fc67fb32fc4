using QemuUserStatic.Cli;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Cli;

[Category("Unit")]
public class StepOutputsTests : TempDirTest
{
    [Test]
    public void What_a_tool_writes_reads_back_value_for_value()
    {
        var values = new Dictionary<string, string>
        {
            ["tag"] = "v1", ["empty"] = "", ["equals"] = "a=b<<c", ["list"] = "x\ny\n", ["carriage"] = "a\rinjected=1", ["json"] = "[\"x86_64\"]",
        };
        var actions = new GitHubActions(new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = Temp["output"] });
        foreach (var (name, value) in values)
        {
            actions.SetOutput(name, value);
        }

        Assert.That(StepOutputs.Read(Temp["output"]), Is.EquivalentTo(values));
    }

    [Test]
    public void A_later_entry_replaces_an_earlier_one_and_a_missing_file_has_none()
    {
        Assert.That(StepOutputs.Parse("a=1\nb<<END\nx\nEND\na=2\n", "out"), Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "2", ["b"] = "x" }));
        Assert.That(StepOutputs.Read(Temp["missing"]), Is.Empty);
    }

    [Test]
    public void A_heredoc_without_its_closing_line_is_one_error_naming_the_file()
    {
        var error = Assert.Throws<UserException>(() => StepOutputs.Parse("a<<END\nx\n", "/tmp/output"))!;

        Assert.That(error.Message, Is.EqualTo("/tmp/output: output a: no closing line END"));
    }
}
