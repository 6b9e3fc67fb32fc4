using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>
/// Putting a binfmt_misc table back from a snapshot, run by the real kernel in a private binfmt_misc: entries added
/// since are removed, removed or changed ones registered again as they were (disabled ones disabled), others left.
/// </summary>
public sealed class BinfmtRestoreTests
{
    private const string Magic = "\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00";
    private const string Mask = "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff";

    [Test]
    public void TheRestoreScriptTurnsTheTableBackIntoTheSnapshot()
    {
        string Entry(string name, string machine, string interpreter, string flags = "") =>
            $":{name}:M::{Magic}\\x{machine}\\x00:{Mask}\\xff\\xff:{interpreter}:{flags}";
        string[] before =
        [
            $"echo '{Entry("qemu-aarch64", "b7", "/usr/libexec/previous/aarch64")}' > {BinfmtSandbox.Mount}/register",
            $"echo '{Entry("qemu-riscv64", "f3", "/usr/libexec/previous/riscv64", "OC")}' > {BinfmtSandbox.Mount}/register",
            $"echo 0 > {BinfmtSandbox.Mount}/qemu-riscv64",
            $"echo ':other:E::qustest::/bin/true:' > {BinfmtSandbox.Mount}/register",
        ];
        // What a run leaves: aarch64 replaced, riscv64 gone, s390x added; the other format untouched.
        string[] after =
        [
            $"echo -1 > {BinfmtSandbox.Mount}/qemu-aarch64",
            $"echo -1 > {BinfmtSandbox.Mount}/qemu-riscv64",
            $"echo '{Entry("qemu-aarch64", "b7", "/usr/bin/qemu-aarch64-static")}' > {BinfmtSandbox.Mount}/register",
            $"echo '{Entry("qemu-s390x", "16", "/usr/bin/qemu-s390x-static")}' > {BinfmtSandbox.Mount}/register",
        ];
        var states = BinfmtSandbox.RunSteps(
        [
            ("before", string.Join('\n', before) + "\n" + BinfmtSandbox.DumpEntries()),
            ("after", string.Join('\n', after) + "\n" + BinfmtSandbox.DumpEntries()),
        ]);
        var snapshotBefore = Parse(states["before"].StandardOutput);
        var restore = snapshotBefore.RestoreFrom(Parse(states["after"].StandardOutput));

        var restored = BinfmtSandbox.RunSteps(
        [
            ("state", string.Join('\n', before.Concat(after))),
            ("restore", restore.ToScript(BinfmtSandbox.Mount)),
            ("dump", BinfmtSandbox.DumpEntries()),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(restore.Remove, Is.EqualTo(new[] { "qemu-aarch64", "qemu-s390x" }));
            Assert.That(restore.Register.Select(e => e.Name), Is.EqualTo(new[] { "qemu-aarch64", "qemu-riscv64" }));
            Assert.That(restored["restore"].ExitCode, Is.Zero, restored["restore"].ToString());
            Assert.That(restored["dump"].StandardOutput, Is.EqualTo(states["before"].StandardOutput), "the table as it was, disabled entry and flags included");
            Assert.That(snapshotBefore.Differences(Parse(states["after"].StandardOutput)), Is.EqualTo(new[] { "~ qemu-aarch64", "- qemu-riscv64", "+ qemu-s390x" }));
        });
    }

    // The sandbox's dump ("== NAME" then the file) as a snapshot.
    private static BinfmtSnapshot Parse(string dump) =>
        new(dump.Split("== ", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => (Name: block[..block.IndexOf('\n', StringComparison.Ordinal)], Text: block[(block.IndexOf('\n', StringComparison.Ordinal) + 1)..]))
            .Where(e => e.Name != "status")
            .ToDictionary(e => e.Name, e => e.Text, StringComparer.Ordinal));
}
