using System.Diagnostics;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// A signal always ends a run: the first cancels it (clean-ups run), and a second ends the process at once even
/// where a thread is blocked out of the cancellation's reach.
/// </summary>
public class QusTarballsSignalTests : TempDirTest
{
    /// <summary>
    /// qus-tarballs blocked reading its configuration from a FIFO whose writer (this test) never writes: the one
    /// read left that no check refuses before opening. The first signal cannot reach that read; the second ends it.
    /// </summary>
    [TestCase("TERM")]
    [TestCase("INT")]
    public void A_second_signal_ends_a_blocked_run_at_once(string signal)
    {
        var fifo = Temp["qus.yml"];
        ToolProcess.ShellOrThrow($"mkfifo '{fifo}'");
        var output = Temp["out"];
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", Repo.ToolDll("Qus.Tarballs"), "--config", fifo, "--input", "/usr/bin/qemu-riscv64-static", "--output", output },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("GITHUB_ACTIONS");
        using var tool = Process.Start(info)!;
        var stderr = tool.StandardError.ReadToEndAsync();
        _ = tool.StandardOutput.ReadToEndAsync();
        try
        {
            // Opening the FIFO for writing returns once the tool has opened it for reading; holding it open without
            // writing keeps the tool's read blocked.
            var opening = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write));
            Assert.That(opening.Wait(TimeSpan.FromMinutes(2)), Is.True, "qus-tarballs never opened its configuration");
            using var writer = opening.Result;

            Kill(signal, tool.Id);
            Assert.That(tool.WaitForExit(TimeSpan.FromSeconds(3)), Is.False, "the blocked read keeps running after the first signal");
            var second = Stopwatch.StartNew();
            Kill(signal, tool.Id);
            Assert.That(tool.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "a second signal ends the process");
            Assert.That(second.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(tool.ExitCode, Is.EqualTo(130));
            Assert.That(stderr.Result.Trim(), Is.EqualTo("qus-tarballs: error: interrupted again: stopped at once"));
            Assert.That(Directory.Exists(output), Is.False);
        }
        finally
        {
            if (!tool.HasExited)
            {
                tool.Kill();
            }
        }
    }

    private static void Kill(string signal, int pid) => ToolProcess.ShellOrThrow($"kill -{signal} {pid}");
}
