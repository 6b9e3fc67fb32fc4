using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Images;

/// <summary>
/// qus-images builds its layout beside the output and swaps it in: a run killed with SIGKILL leaves its
/// <c>OUT.partial-*</c>, which the next run for the same output removes, but never one a running process holds.
/// </summary>
[NonParallelizable]
public sealed class StagedLayoutTests : TempDirTest
{
    [Test]
    public void A_run_killed_mid_way_leaves_a_partial_layout_that_the_next_run_removes()
    {
        var output = Temp["layout"];
        var killed = ToolProcess.RunToolAndKill("Qus.Images", Arguments(output),
            ready: () => Partial().Any(p => Directory.Exists(Path.Combine(p, "blobs", "sha256")) && Directory.EnumerateFiles(Path.Combine(p, "blobs", "sha256")).Any()));
        var left = Partial();

        var next = ToolProcess.RunTool("Qus.Images", Arguments(output));

        Assert.Multiple(() =>
        {
            Assert.That(killed, Is.True, "killed while writing");
            Assert.That(left, Has.Count.EqualTo(1), "the kill left its partial layout");
            Assert.That(next.ExitCode, Is.Zero, next.ToString());
            Assert.That(Partial(), Is.Empty, "the next run removed it");
            Assert.That(OciInspect.Tags(output), Does.ContainKey("latest"));
        });
    }

    [Test]
    public void A_partial_layout_a_running_process_holds_is_left_alone_and_a_layout_is_replaced_whole()
    {
        var output = Temp["layout"];
        var first = ToolProcess.RunTool("Qus.Images", Arguments(output));
        var held = $"{output}.partial-1-{new string('a', 32)}";
        Directory.CreateDirectory(held);
        using (FolderLock.Acquire(held))
        {
            var second = ToolProcess.RunTool("Qus.Images", Arguments(output));

            Assert.Multiple(() =>
            {
                Assert.That(first.ExitCode, Is.Zero, first.ToString());
                Assert.That(second.ExitCode, Is.Zero, second.ToString());
                Assert.That(Partial(), Is.EqualTo(new[] { held }), "only the held one is left");
                Assert.That(OciInspect.Tags(output), Does.ContainKey("latest"));
            });
        }
    }

    private static string[] Arguments(string output) =>
        ["--input", ImageLayouts.X86Input, "--output", output, "--base", BusyboxBase.Reference];

    private List<string> Partial() =>
        Directory.EnumerateDirectories(Temp.Path).Where(d => Path.GetFileName(d).StartsWith("layout.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
