using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// The generated /register script on a real aarch64 host as far as it can tell: Debian's arm64 busybox (sh and every
/// applet the script calls) under the sandbox's qemu-aarch64 (flag P: busybox tells its applets by argv[0]), so
/// <c>uname -m</c> says aarch64. Only there may the x86
/// rows be registered, and only there does the x86 magic that a kernel may show masked matter.
/// </summary>
public class ForeignHostScriptTests
{
    [Test]
    public void On_an_aarch64_host_skips_arm_registers_i386_and_takes_its_masked_entry_as_the_same()
    {
        var busybox = Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox");
        using var applets = new TempDir("qus-arm64-applets");
        foreach (var applet in new[] { "cat", "mount", "tr", "uname", "stat", "sh" })
        {
            File.CreateSymbolicLink(applets[applet], busybox);
        }

        using var script = new TempDir("qus-register-script");
        File.WriteAllBytes(script["register"], RegisterScript.RenderBytes());
        var register = $"PATH={Quote(applets.Path)} {Quote(applets["sh"])} {Quote(script["register"])}";

        // x86 rows have magic bits outside their mask (e_ident 01 01 under fe fe); another tool may write them masked.
        var i386 = ArchitectureTable.Get("i386");
        var masked = i386.Magic.Zip(i386.Mask, (m, k) => (byte)(m & k)).ToArray();
        var line = $":qemu-i386:M::{BinfmtEntry.Escape(masked)}:{BinfmtEntry.Escape(i386.Mask)}:/usr/bin/qemu-i386-static:";
        var steps = RunSteps(
        [
            ("emulate aarch64", Tool("--preserve-argv0", "yes", "aarch64")),
            ("uname", $"PATH={Quote(applets.Path)} uname -m"),
            ("first", $"{register} arm aarch64 i386 riscv64"),
            ("other tool", $"echo -1 > {Mount}/qemu-i386 && printf '%s' {Quote(line)} > {Mount}/register && cat {Mount}/qemu-i386"),
            ("again", $"{register} i386"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(steps["uname"].StandardOutput, Is.EqualTo("aarch64\n"), steps["uname"].ToString());
            Assert.That(steps["first"].StandardOutput, Is.EqualTo(
                "qemu-aarch64: skipped, this aarch64 host runs it natively\n" +
                "qemu-arm: skipped, this aarch64 host runs it natively\n" +
                "qemu-i386: registered, interpreter /usr/bin/qemu-i386-static, flags none\n" +
                "qemu-riscv64: registered, interpreter /usr/bin/qemu-riscv64-static, flags none\n"), steps["first"].ToString());
            Assert.That(steps["other tool"].StandardOutput, Does.Contain($"magic {Convert.ToHexStringLower(masked)}\n"));
            Assert.That(steps["again"].StandardOutput, Is.EqualTo("qemu-i386: already registered with the same contents, nothing to do\n"),
                steps["again"].ToString());
        });
    }
}
