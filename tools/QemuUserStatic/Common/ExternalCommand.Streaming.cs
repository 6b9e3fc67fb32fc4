using System.ComponentModel;
using CliWrap;

namespace QemuUserStatic.Common;

/// <summary>The streaming mode of <see cref="ExternalCommand"/>: output handed on line by line, cancellation as a SIGTERM.</summary>
public static partial class ExternalCommand
{
    /// <summary>How long a cancelled streamed command has to stop after its SIGTERM before it is killed.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="executable"/> like <see cref="RunAsync"/>, handing each line of its stdout and stderr to
    /// <paramref name="standardOutput"/> and <paramref name="standardError"/> as it comes (null: dropped), and returns
    /// its exit code. Cancelling sends SIGTERM to it and its descendants (<see cref="ProcessTree"/>), waits for it to
    /// end, killing its tree after <paramref name="gracePeriod"/> (default <see cref="GracePeriod"/>), and then throws
    /// <see cref="OperationCanceledException"/>. SIGTERM, not SIGINT: a program started from a background job of a
    /// shell (<c>cmd &amp;</c>) inherits SIGINT ignored, and so do all its children.
    /// </summary>
    public static async Task<int> StreamAsync(
        string executable, IReadOnlyList<string> arguments, Action<string>? standardOutput, Action<string>? standardError,
        CancellationToken cancellationToken, string? installHint = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? gracePeriod = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(executable, arguments, workingDirectory, environment)
            .WithStandardOutputPipe(standardOutput is null ? PipeTarget.Null : PipeTarget.ToDelegate(standardOutput))
            .WithStandardErrorPipe(standardError is null ? PipeTarget.Null : PipeTarget.ToDelegate(standardError));
        using var forceful = new CancellationTokenSource();
        CommandTask<CommandResult> running;
        try
        {
            // Not CliWrap's graceful cancellation: it sends SIGINT to the child alone, which `dotnet tool run` ignores.
            running = command.ExecuteAsync(forceful.Token);
        }
        catch (Win32Exception)
        {
            throw NotFound(executable, installHint, notFoundMessage: null);
        }

        CommandResult result;
        await using (cancellationToken.Register(() =>
        {
            ProcessTree.Signal(ProcessTree.Of(running.ProcessId), ProcessTree.Terminate);
            forceful.CancelAfter(gracePeriod ?? GracePeriod);
        }))
        {
            try
            {
                result = await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (forceful.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return result.ExitCode;
    }
}
