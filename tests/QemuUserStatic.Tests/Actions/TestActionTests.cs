using System.Xml.Linq;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/test run as a runner runs it, with the sandbox engine (no daemon, a private binfmt_misc) on the images of
/// both hosts and an arm64 busybox guest (cases 1, 2, 4, 5: the sandbox builds nothing, and busybox has no setuid
/// witness for case 7): the JUnit report it points to has every case passed.
/// qus-test is written in parallel with the actions: the case exists once tools/Qus.Test does.
/// </summary>
public class TestActionTests
{
    private static IEnumerable<string> Engines() =>
        File.Exists(Repo.Under("tools", "Qus.Test", "Qus.Test.csproj")) ? ["sandbox"] : [];

    [TestCaseSource(nameof(Engines))]
    public void Tests_the_layout_and_points_to_a_passing_junit_report(string engine)
    {
        using var work = new TempDir("qus-test-action");

        var run = new CompositeAction("test").Run(work.Path, new Dictionary<string, string>
        {
            ["layout"] = ImageLayouts.MultiHost, ["guest-image"] = $"oci:{BusyboxBase.Layout}:arm64", ["engine"] = engine,
            ["junit"] = work["reports/qus-test.xml"], ["cases"] = "1,2,4,5", ["register-targets"] = "aarch64,riscv64",
            // The tests' own guest set, built once in their cache by the same code: no Debian downloads per run.
            ["guest-cache"] = PackageFixtures.CacheRoot,
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        Assert.That(run.Outputs["report"], Is.EqualTo(work["reports/qus-test.xml"]));
        var cases = XDocument.Load(run.Outputs["report"]).Descendants("testcase").ToList();
        Assert.That(cases, Is.Not.Empty);
        Assert.That(cases.SelectMany(c => c.Elements("failure").Concat(c.Elements("error"))), Is.Empty);
    }
}
