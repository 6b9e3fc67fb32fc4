using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

// Not QemuUserStatic.Tests.Common: that namespace would hide QemuUserStatic.Common from the tests that write Common.Sha256Hex.
namespace QemuUserStatic.Tests.Common;

[Category("Unit")]
public class StagedOutputTests : TempDirTest
{
    [Test]
    public void Commit_puts_the_built_folder_in_place_of_a_missing_target_and_creates_its_parent()
    {
        var target = Temp["deep/out"];
        using (var staged = StagedOutput.ReplacingFolder(target))
        {
            Assert.That(Directory.Exists(target), Is.False, "nothing at the target while building");
            File.WriteAllText(System.IO.Path.Combine(staged.Path, "a"), "new");
            staged.Commit();
        }

        Assert.That(File.ReadAllText(System.IO.Path.Combine(target, "a")), Is.EqualTo("new"));
        Assert.That(Directory.GetFileSystemEntries(Temp["deep"]), Is.EqualTo(new[] { target }), "no staging left beside it");
    }

    [Test]
    public void Commit_replaces_an_existing_target_whole()
    {
        var target = Temp["out"];
        Directory.CreateDirectory(target);
        File.WriteAllText(System.IO.Path.Combine(target, "old"), "old");
        using (var staged = StagedOutput.ReplacingFolder(target))
        {
            File.WriteAllText(System.IO.Path.Combine(staged.Path, "new"), "new");
            staged.Commit();
        }

        Assert.That(Directory.GetFiles(target).Select(System.IO.Path.GetFileName), Is.EqualTo(new[] { "new" }));
        Assert.That(Directory.GetFileSystemEntries(Temp.Path), Is.EqualTo(new[] { target }));
    }

    [Test]
    public void Disposing_without_commit_leaves_the_previous_folder_untouched()
    {
        var target = Temp["out"];
        Directory.CreateDirectory(target);
        File.WriteAllText(System.IO.Path.Combine(target, "old"), "old");
        var before = FolderSnapshot.Of(target);
        string staging;
        using (var staged = StagedOutput.ReplacingFolder(target))
        {
            staging = staged.Path;
            File.WriteAllText(System.IO.Path.Combine(staged.Path, "half"), "half");
        }

        Assert.That(Directory.Exists(staging), Is.False);
        Assert.That(FolderSnapshot.Of(target), Is.EqualTo(before));
        Assert.That(Directory.GetFileSystemEntries(Temp.Path), Is.EqualTo(new[] { target }));
    }

    [Test]
    public void A_stale_staging_folder_of_a_killed_run_is_removed_but_not_foreign_ones()
    {
        var target = Temp["out"];
        var stale = Temp[$"out.partial-999999-{Guid.NewGuid():N}"];
        var foreign = Temp["out.partial-mine"];
        Directory.CreateDirectory(stale);
        Directory.CreateDirectory(foreign);

        using (var staged = StagedOutput.ReplacingFolder(target))
        {
            Assert.That(Directory.Exists(stale), Is.False);
        }

        Assert.That(Directory.Exists(foreign), Is.True);
    }

    [Test]
    public void A_file_at_the_target_is_a_user_error()
    {
        var target = Temp["out"];
        File.WriteAllText(target, "a file");

        var ex = Assert.Throws<UserException>(() => StagedOutput.ReplacingFolder(target));

        Assert.That(ex!.Message, Is.EqualTo($"{target}: exists and is not a folder"));
        Assert.That(File.ReadAllText(target), Is.EqualTo("a file"));
    }

    [Test]
    public void A_dangling_link_at_the_target_is_a_user_error()
    {
        var target = Temp["out"];
        File.CreateSymbolicLink(target, Temp["nowhere"]);

        var ex = Assert.Throws<UserException>(() => StagedOutput.ReplacingFolder(target));

        Assert.That(ex!.Message, Is.EqualTo($"{target}: exists and is not a folder"));
    }
}
