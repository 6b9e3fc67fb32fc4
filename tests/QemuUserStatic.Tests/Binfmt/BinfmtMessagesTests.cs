using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Tests.Binfmt;

/// <summary>The errno → sentence table, including the answers the kernel gives only in a race (EEXIST).</summary>
[Category("Unit")]
public class BinfmtMessagesTests
{
    private const string Mount = "/proc/sys/fs/binfmt_misc";

    private static (string Message, bool Fatal) Describe(BinfmtAction action, WriteStage stage, int errno, string path = Mount + "/register") =>
        BinfmtMessages.Describe(new BinfmtCallException(path, stage, errno), action, Mount, "qemu-aarch64", "/usr/bin/qemu-aarch64-static");

    [TestCase(BinfmtAction.Register, WriteStage.Write, 17, false, "qemu-aarch64: the kernel already has an entry of that name")]
    [TestCase(BinfmtAction.Register, WriteStage.Write, 22, false, "qemu-aarch64: the kernel refused the entry as invalid")]
    [TestCase(BinfmtAction.Register, WriteStage.Write, 2, false, "qemu-aarch64: interpreter /usr/bin/qemu-aarch64-static not found")]
    [TestCase(BinfmtAction.Register, WriteStage.Write, 13, false, "cannot be executed (permission denied)")]
    [TestCase(BinfmtAction.Register, WriteStage.Write, 8, false, "is not a program this host can run (exec format error)")]
    [TestCase(BinfmtAction.Register, WriteStage.Open, 2, true, Mount + "/register: no such file: is binfmt_misc mounted?")]
    [TestCase(BinfmtAction.Register, WriteStage.Open, 1, true, Mount + "/register: permission denied; changing binfmt_misc needs root")]
    [TestCase(BinfmtAction.Register, WriteStage.Open, 30, true, Mount + "/register: read-only file system; a container sees /proc/sys read-only")]
    [TestCase(BinfmtAction.Mount, WriteStage.Open, 1, true, "cannot mount binfmt_misc on " + Mount + ": permission denied")]
    [TestCase(BinfmtAction.Mount, WriteStage.Open, 19, true, "this kernel has no binfmt_misc; load it with: modprobe binfmt_misc")]
    [TestCase(BinfmtAction.Mount, WriteStage.Open, 16, true, "cannot mount binfmt_misc on " + Mount + ": Device or resource busy")]
    [TestCase(BinfmtAction.Register, WriteStage.Write, 16, false, "qemu-aarch64: cannot register: Device or resource busy")]
    public void Each_errno_becomes_a_sentence(BinfmtAction action, WriteStage stage, int errno, bool fatal, string expected)
    {
        var (message, isFatal) = Describe(action, stage, errno);
        Assert.Multiple(() =>
        {
            Assert.That(message, Does.StartWith(expected).Or.Contain(expected));
            Assert.That(message, Does.Not.Contain("{"), "every placeholder filled");
            Assert.That(isFatal, Is.EqualTo(fatal));
        });
    }

    [Test]
    public void Removing_an_entry_that_vanished_is_said_so()
    {
        var (message, fatal) = Describe(BinfmtAction.Remove, WriteStage.Open, 2, Mount + "/qemu-aarch64");
        Assert.That((message, fatal), Is.EqualTo(("qemu-aarch64: cannot remove: it was removed meanwhile", false)));
    }

    [Test]
    public void Every_template_uses_only_placeholders_the_script_sets()
    {
        string[] known = ["entry", "interpreter", "flags", "old_flags", "old_interpreter", "host", "mount", "file", "reason", "files", "option", "value"];
        var templates = BinfmtMessages.Rules.Select(r => r.Template)
            .Concat(Enum.GetValues<BinfmtAction>().Select(a => BinfmtMessages.FallbackFor(a).Template))
            .Concat(typeof(BinfmtMessages).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!));
        Assert.That(templates.SelectMany(BinfmtMessages.PlaceholdersOf).Distinct(), Is.SubsetOf(known));
    }
}
