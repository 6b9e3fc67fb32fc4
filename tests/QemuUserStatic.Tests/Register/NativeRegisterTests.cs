using System.Diagnostics;
using System.Text.RegularExpressions;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// qus-register as the release carries it: a NativeAOT executable built by tools/build-native, with no trimming or
/// AOT warning, linked against nothing but the C library, that runs with an empty environment (<c>env -i</c>: no
/// .NET, no PATH) and registers in a private binfmt_misc.
/// </summary>
public partial class NativeRegisterTests
{
    [Test]
    public void Linux_x64_build_has_no_warnings_needs_only_libc_and_registers_with_an_empty_environment()
    {
        var tool = NativeRegister.For("x64");
        var watch = Stopwatch.StartNew();
        var hostArch = ToolProcess.Run("env", ["-i", tool, "--print-host-arch"]);
        watch.Stop();
        var needed = NeededLibraries(tool);
        var busybox = Quote(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"));
        var steps = RunSteps(
        [
            ("register", $"env -i {Quote(tool)} --qemu-path /usr/bin --persistent yes arm64"),
            ("entry", $"cat {Mount}/qemu-aarch64"),
            ("run", $"env -i {busybox} uname -m"),
            ("error", $"env -i {Quote(tool)} --qemu-path /usr/bin no-such-arch"),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(NativeRegister.BuildOutput("x64").ToString(), Does.Not.Contain("warning").IgnoreCase);
            Assert.That(hostArch.ExitCode, Is.Zero, hostArch.ToString());
            Assert.That(hostArch.StandardOutput, Is.EqualTo("x86_64\n"));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "a native start, not a .NET runtime's");
            Assert.That(needed, Is.SubsetOf(new[] { "libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2" }), "no .NET runtime, no libstdc++");
            Assert.That(steps["register"].ExitCode, Is.Zero, steps["register"].ToString());
            Assert.That(steps["entry"].StandardOutput, Does.StartWith("enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\n"));
            Assert.That(steps["run"].StandardOutput, Is.EqualTo("aarch64\n"));
            Assert.That(steps["error"].ExitCode, Is.EqualTo(2));
            Assert.That(steps["error"].StandardError, Does.Match(@"^qus-register: error: unknown target 'no-such-arch' \(known: [^\n]*\)\n$"));
        });
    }

    [Test]
    public void Linux_arm64_cross_build_is_an_aarch64_executable_that_runs_under_qemu()
    {
        var tool = NativeRegister.For("arm64");
        var header = ToolProcess.Run("readelf", ["-h", tool]);
        var hostArch = ToolProcess.Run("env", ["-i", "/usr/bin/qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu", tool, "--print-host-arch"]);
        var emulators = ToolProcess.Run("env", ["-i", "/usr/bin/qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu", tool, "--print-emulators", "amd64"]);

        Assert.Multiple(() =>
        {
            Assert.That(NativeRegister.BuildOutput("arm64").ToString(), Does.Not.Contain("warning").IgnoreCase);
            Assert.That(header.StandardOutput, Does.Match(@"Machine:\s+AArch64"));
            Assert.That(hostArch.StandardOutput, Is.EqualTo("aarch64\n"), hostArch.ToString());
            Assert.That(emulators.StandardOutput, Is.EqualTo("qemu-x86_64-static\n"), emulators.ToString());
        });
    }

    private static List<string> NeededLibraries(string elf) =>
        NeededLine().Matches(ToolProcess.Run("readelf", ["-d", elf]).StandardOutput).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLine();
}
