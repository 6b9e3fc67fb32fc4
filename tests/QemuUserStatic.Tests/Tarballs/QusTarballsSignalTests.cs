using System.Diagnostics;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// A signal always ends a run: nothing is opened that could block out of the cancellation's reach (a FIFO is refused
/// before it is opened, wherever it is named), the first signal cancels a working run and its clean-ups run (one
/// repeated at once is the same signal come twice), and a second one, coming while the first is still being handled,
/// ends the process at once.
/// </summary>
public class QusTarballsSignalTests : TempDirTest
{
    private static string SidDeb => PackageFixtures.DebianPackage("qemu-user", "amd64", "sid");

    [Test]
    public void A_fifo_configuration_is_refused_before_it_is_opened()
    {
        var fifo = Temp["qus.yml"];
        ToolProcess.ShellOrThrow($"mkfifo '{fifo}'");

        TarballsAssert.Fails(Temp, ["/usr/bin/qemu-riscv64-static"], $"configuration file {fifo}: a FIFO, not a regular file",
            ["--config", fifo], timeout: TimeSpan.FromMinutes(1));
    }

    [TestCase("TERM")]
    [TestCase("INT")]
    public void The_first_signal_cancels_a_working_run_and_leaves_nothing_behind(string signal)
    {
        var output = Temp["out"];
        using var tool = Start(output, out var stderr, out var started);
        Assert.That(started.Wait(TimeSpan.FromMinutes(2)), Is.True, "qus-tarballs never started writing");

        Kill(signal, tool.Id);

        Assert.That(tool.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "the run ends after the signal");
        Assert.That(tool.ExitCode, Is.EqualTo(signal == "TERM" ? 143 : 130), "the code a shell gives a process the signal ended");
        Assert.That(Errors(stderr.Result), Is.EqualTo(new[] { "qus-tarballs: error: interrupted" }), stderr.Result);
        Assert.That(Directory.Exists(output), Is.False, "no output folder, no staging left");
    }

    [Test]
    public void A_second_signal_during_the_first_ones_handling_ends_the_process_at_once()
    {
        var output = Temp["out"];
        using var tool = Start(output, out var stderr, out var started);
        Assert.That(started.Wait(TimeSpan.FromMinutes(2)), Is.True, "qus-tarballs never started writing");

        var clock = Stopwatch.StartNew();
        // Past the second within which a signal counts as the first one again; the run may have ended by then.
        ToolProcess.ShellOrThrow($"kill -TERM {tool.Id}; sleep 1.5; kill -TERM {tool.Id} 2>/dev/null || true");

        Assert.That(tool.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "the run ends");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(tool.ExitCode, Is.EqualTo(143));
        Assert.That(Errors(stderr.Result), Has.Count.EqualTo(1).And.One.Matches<string>(l =>
            l is "qus-tarballs: error: interrupted" or "qus-tarballs: error: interrupted again: stopped at once"), stderr.Result);
        Assert.That(stderr.Result, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void A_signal_repeated_at_once_is_one_interrupt_and_the_clean_ups_still_run()
    {
        // As a terminal's Ctrl-C reaching the whole process group and a parent passing it on as well.
        var output = Temp["out"];
        using var tool = Start(output, out var stderr, out var started);
        Assert.That(started.Wait(TimeSpan.FromMinutes(2)), Is.True, "qus-tarballs never started writing");

        ToolProcess.ShellOrThrow($"kill -INT {tool.Id}; kill -TERM {tool.Id}");

        Assert.That(tool.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "the run ends after the signal");
        // Two signals pending at once may be handled in either order: the code is the one handled first's.
        Assert.That(tool.ExitCode, Is.AnyOf(130, 143), "one signal's code");
        Assert.That(Errors(stderr.Result), Is.EqualTo(new[] { "qus-tarballs: error: interrupted" }), stderr.Result);
        Assert.That(Directory.Exists(output), Is.False, "no output folder, no staging left");
    }

    /// <summary>qus-tarballs on sid's real qemu-user (several seconds of work); <paramref name="started"/> completes at its first emulator.</summary>
    private static Process Start(string output, out Task<string> stderr, out Task started)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", Repo.ToolDll("Qus.Tarballs"), "--input", SidDeb, "--output", output },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("GITHUB_ACTIONS");
        var tool = Process.Start(info)!;
        var text = new System.Text.StringBuilder();
        var first = new TaskCompletionSource();
        stderr = Task.Run(async () =>
        {
            while (await tool.StandardError.ReadLineAsync() is { } line)
            {
                text.AppendLine(line);
                if (line.Contains("-static: ", StringComparison.Ordinal))
                {
                    first.TrySetResult();
                }
            }

            first.TrySetResult();
            return text.ToString();
        });
        _ = tool.StandardOutput.ReadToEndAsync();
        started = first.Task;
        return tool;
    }

    private static List<string> Errors(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("qus-tarballs:", StringComparison.Ordinal)).ToList();

    private static void Kill(string signal, int pid) => ToolProcess.ShellOrThrow($"kill -{signal} {pid}");
}
