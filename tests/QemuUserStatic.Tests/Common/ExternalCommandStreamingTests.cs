using System.Diagnostics;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

// Not QemuUserStatic.Tests.Common: that namespace would hide QemuUserStatic.Common from the tests that write Common.Sha256Hex.
namespace QemuUserStatic.Tests.Common;

/// <summary>
/// ExternalCommand's streaming mode on real processes: lines handed on as they come, and a cancel that sends SIGTERM to
/// the whole tree (a grandchild too, as under <c>dotnet tool run</c>) and kills what ignores it after the grace period.
/// </summary>
[Category("Unit")]
public class ExternalCommandStreamingTests
{
    [Test]
    public async Task Lines_of_stdout_and_stderr_reach_their_callbacks_and_the_exit_code_comes_back()
    {
        var stdout = new List<string>();
        var stderr = new List<string>();

        var exitCode = await ExternalCommand.StreamAsync(
            "sh", ["-c", "echo one; echo two >&2; printf 'three'; exit 3"], stdout.Add, stderr.Add, CancellationToken.None,
            environment: new Dictionary<string, string?> { ["QUS_STREAM_TEST"] = "seen" });
        var environment = await ExternalCommand.StreamAsync("sh", ["-c", "echo \"$QUS_STREAM_TEST\""], stdout.Add, null, CancellationToken.None,
            environment: new Dictionary<string, string?> { ["QUS_STREAM_TEST"] = "seen" });

        Assert.That((exitCode, environment), Is.EqualTo((3, 0)));
        Assert.That(stdout, Is.EqualTo(new[] { "one", "three", "seen" }), "a last line without a newline too");
        Assert.That(stderr, Is.EqualTo(new[] { "two" }));
    }

    [Test]
    public void A_program_missing_from_path_is_a_user_error_with_the_hint()
    {
        var missing = Assert.ThrowsAsync<UserException>(() => ExternalCommand.StreamAsync(
            "qus-no-such-program", [], null, null, CancellationToken.None, installHint: "apt-get install qus-no-such-program"));

        Assert.That(missing!.Message, Is.EqualTo("qus-no-such-program: not found on PATH (apt-get install qus-no-such-program)"));
    }

    [Test]
    public async Task Cancelling_stops_the_grandchild_too_and_waits_for_it()
    {
        // The inner shell prints its PID and becomes sleep: a grandchild, as a tool is under `dotnet tool run`.
        var (pid, cancel, run) = Start("sh -c 'echo $$; exec sleep 60'; echo after", gracePeriod: null);
        var clock = await CancelAsync(pid, cancel);

        Assert.ThrowsAsync<OperationCanceledException>(() => run);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the SIGTERM stopped it, well within the 10 s grace period");
        Assert.That(ProcessTree.IsRunning(await pid), Is.False, "the grandchild is gone when the call returns");
    }

    [Test]
    public async Task What_ignores_SIGTERM_is_killed_with_its_children_after_the_grace_period()
    {
        var (pid, cancel, run) = Start("trap '' TERM; sleep 60 & echo $!; wait", gracePeriod: TimeSpan.FromSeconds(1));
        var clock = await CancelAsync(pid, cancel);

        Assert.ThrowsAsync<OperationCanceledException>(() => run);
        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8)));
        Assert.That(Gone(await pid), Is.True, "the child's own child is killed too");
    }

    /// <summary>Runs <c>sh -c SCRIPT</c> streamed; its first stdout line is the PID of the process to watch.</summary>
    private static (Task<int> Pid, CancellationTokenSource Cancel, Task<int> Run) Start(string script, TimeSpan? gracePeriod)
    {
        var pid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancel = new CancellationTokenSource();
        var run = ExternalCommand.StreamAsync(
            "sh", ["-c", script], line => pid.TrySetResult(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture)), null,
            cancel.Token, gracePeriod: gracePeriod);
        return (pid.Task, cancel, run);
    }

    private static async Task<Stopwatch> CancelAsync(Task<int> pid, CancellationTokenSource cancel)
    {
        Assert.That(ProcessTree.IsRunning(await pid.WaitAsync(TimeSpan.FromSeconds(30))), Is.True, "running before the cancel");
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        return clock;
    }

    // A process killed is gone a moment after the signal, not at once.
    private static bool Gone(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (ProcessTree.IsRunning(pid) && deadline.Elapsed < TimeSpan.FromSeconds(2))
        {
            Thread.Sleep(20);
        }

        return !ProcessTree.IsRunning(pid);
    }
}
