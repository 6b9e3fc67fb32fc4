using QemuUserStatic.Acceptance;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Tests.Cli;

/// <summary>The one list splitting of every tool: repeated values, commas, spaces, tabs and newlines.</summary>
[Category("Unit")]
public class OptionListTests
{
    [Test]
    public void Splits_on_commas_and_whitespace_trims_and_drops_empty_items_in_order()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OptionList.Items(["a,b", " c ", "d e\tf\ng\r\nh", ",,", ""]), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f", "g", "h" }));
            Assert.That(OptionList.Items(null), Is.Empty);
            Assert.That(OptionList.Items(["\u000bx\u000c"]), Is.EqualTo(new[] { "x" }), "other whitespace is trimmed as before");
        });
    }

    [Test]
    public void Register_targets_and_test_cases_split_the_same_way()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new RegisterOptions { Targets = ["arm64\triscv64\nlinux/s390x", "arm, x86_64"] }.SelectedTargets().Select(t => t.Name),
                Is.EqualTo(new[] { "aarch64", "arm", "riscv64", "s390x", "x86_64" }));
            Assert.That(TestCase.Select(["1-2 5", "7,\t4"]).Select(c => c.Number), Is.EqualTo(new[] { 1, 2, 4, 5, 7 }));
            Assert.That(TestCase.Select([" , "]), Is.SameAs(TestCase.All));
            Assert.That(Assert.Throws<UserException>(() => TestCase.Select(["2-1"]))!.Message,
                Is.EqualTo("--cases: '2-1' is not a case number (1-7) or range"));
        });
    }
}
