using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Common;

/// <summary>AtomicFile's temporary files: a killed writer's are removed by the next write of the same file, a live writer's never.</summary>
[Category("Unit")]
public class AtomicFileTests : TempDirTest
{
    [Test]
    public async Task A_write_removes_stale_temporary_files_of_its_target_only()
    {
        var target = Temp["index.json"];
        // No process has the id 999999999 (above Linux's largest pid_max): its writer was killed.
        var stale = Temp[$".index.json.tmp-999999999-{new string('a', 32)}"];
        var held = Temp[$".index.json.tmp-999999999-{new string('b', 32)}"];
        var creating = Temp[$".index.json.tmp-{System.Environment.ProcessId}-{new string('d', 32)}"];
        var otherTarget = Temp[$".other.json.tmp-999999999-{new string('c', 32)}"];
        var notOurs = Temp[".index.json.tmp-mine"];
        foreach (var file in new[] { stale, held, creating, otherTarget, notOurs })
        {
            File.WriteAllText(file, "half");
        }

        // A writer that is still running holds its temporary file locked, as AtomicFile does.
        await using var running = new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.That(PosixCalls.LockExclusively(running.SafeFileHandle, wait: false), Is.Zero);

        await AtomicFile.WriteAllTextAsync(target, "{}");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(target), Is.EqualTo("{}"));
            Assert.That(File.Exists(stale), Is.False, "a killed writer's temporary file is removed");
            Assert.That(File.Exists(held), Is.True, "a running writer's is kept");
            Assert.That(File.Exists(creating), Is.True, "so is one whose process lives, not yet locked");
            Assert.That(File.Exists(otherTarget), Is.True, "another target's is kept");
            Assert.That(File.Exists(notOurs), Is.True, "a name not ours is kept");
        });
    }

    [Test]
    public async Task A_copy_keeps_the_source_permissions_and_leaves_no_temporary_file()
    {
        var source = Temp["source"];
        File.WriteAllText(source, "emulator");
        ToolProcess.ShellOrThrow($"chmod 0750 '{source}'");

        await AtomicFile.CopyAsync(source, Temp["copy"]);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Temp["copy"]), Is.EqualTo("emulator"));
            Assert.That(ToolProcess.ShellOrThrow($"stat -c %a '{Temp["copy"]}'").Trim(), Is.EqualTo("750"));
            Assert.That(Directory.GetFiles(Temp.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "source", "copy" }));
        });
    }
}
