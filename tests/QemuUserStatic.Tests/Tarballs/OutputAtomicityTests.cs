using System.Text.RegularExpressions;
using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// qus-tarballs' output is all or nothing: a destination it cannot replace fails the run before any file is
/// replaced, and a run killed with SIGKILL leaves a staging folder that the next run removes (but never one a
/// running process holds, nor anything not named like ours).
/// </summary>
public partial class OutputAtomicityTests : TempDirTest
{
    private static IReadOnlyList<string> Rpms => PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]);

    [Test]
    public void A_folder_named_manifest_json_fails_the_run_with_the_output_unchanged()
    {
        var output = PreviousOutput();
        Directory.CreateDirectory(Path.Combine(output, "manifest.json"));
        File.WriteAllText(Path.Combine(output, "manifest.json", "inside"), "a folder of the user's");
        var before = FolderSnapshot.Of(output);

        var result = TarballsTool.Run(Rpms, output);

        OneLineError.Check(result, "qus-tarballs", $"{output}/manifest.json: is a folder, where the release file manifest.json goes; nothing in {output} was changed");
        Assert.That(FolderSnapshot.Of(output), Is.EqualTo(before));
    }

    [Test]
    public void A_folder_named_like_an_emulator_fails_the_run_before_any_file_is_replaced()
    {
        var output = PreviousOutput();
        Directory.CreateDirectory(Path.Combine(output, "qemu-riscv64-static.tar.gz"));
        var before = FolderSnapshot.Of(output);

        var result = TarballsTool.Run(Rpms, output);

        OneLineError.Check(result, "qus-tarballs", $"{output}/qemu-riscv64-static.tar.gz: is a folder, where the release file qemu-riscv64-static.tar.gz goes");
        Assert.That(FolderSnapshot.Of(output), Is.EqualTo(before));
    }

    [Test]
    public void A_run_killed_mid_way_leaves_staging_that_the_next_run_removes()
    {
        var output = Temp["out"];
        var killed = ToolProcess.RunToolAndKill("Qus.Tarballs", [.. Rpms.SelectMany(r => new[] { "--input", r }), "--output", output],
            ready: () => Staging(output).Any(s => Directory.EnumerateFiles(s, "qemu-*-static").Any()));
        var left = Staging(output);

        var next = TarballsTool.Run(Rpms, output);

        Assert.Multiple(() =>
        {
            Assert.That(killed, Is.True, "killed while writing");
            Assert.That(left, Has.Count.EqualTo(1), "the kill left its staging folder");
            Assert.That(next.ExitCode, Is.Zero, next.ToString());
            Assert.That(Staging(output), Is.Empty, "the next run removed it");
            Assert.That(File.Exists(Path.Combine(output, "manifest.json")), Is.True);
        });
    }

    [Test]
    public void Staging_a_running_process_holds_and_names_not_ours_are_left_alone()
    {
        var output = Temp["out"];
        var held = Path.Combine(output, $".qus-staging-{new string('1', 32)}.tmp");
        var stale = Path.Combine(output, $".qus-staging-{new string('2', 32)}.tmp");
        var notOurs = Path.Combine(output, ".qus-staging-mine.tmp");
        var link = Path.Combine(output, $".qus-staging-{new string('3', 32)}.tmp");
        var linked = Temp["elsewhere"];
        foreach (var folder in new[] { held, stale, notOurs, linked })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "qemu-aarch64-static"), "partial");
        }

        Directory.CreateSymbolicLink(link, linked);
        using var running = FolderLock.Acquire(held);

        var result = TarballsTool.Run(Rpms, output);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(Directory.Exists(stale), Is.False, "a stale staging folder is removed");
            Assert.That(File.Exists(Path.Combine(held, "qemu-aarch64-static")), Is.True, "one a running process holds is kept");
            Assert.That(File.Exists(Path.Combine(notOurs, "qemu-aarch64-static")), Is.True, "a name not ours is kept");
            Assert.That(new DirectoryInfo(link).LinkTarget, Is.EqualTo(linked), "a link is not ours");
            Assert.That(File.Exists(Path.Combine(linked, "qemu-aarch64-static")), Is.True, "nor followed");
        });
    }

    /// <summary>An output folder as an earlier run left it (files of the same names), plus a file of the user's.</summary>
    private string PreviousOutput()
    {
        var output = Temp["out"];
        Directory.CreateDirectory(output);
        foreach (var name in new[] { "qemu-aarch64-static", "qemu-aarch64-static.tar.gz", "qemu-riscv64-static", "SHA256SUMS", "keep.txt" })
        {
            File.WriteAllText(Path.Combine(output, name), $"earlier {name}");
        }

        return output;
    }

    private static List<string> Staging(string output) =>
        Directory.Exists(output) ? Directory.EnumerateDirectories(output).Where(d => StagingName().IsMatch(Path.GetFileName(d))).ToList() : [];

    [GeneratedRegex("^\\.qus-staging-.*\\.tmp$")]
    private static partial Regex StagingName();
}
