using System.Diagnostics;
using System.Runtime.InteropServices;

namespace QemuUserStatic.Cli;

/// <summary>
/// SIGINT and SIGTERM (Ctrl-C, a CI job cancelled, docker stop) as a cancellation: the first one cancels
/// <see cref="Token"/> and the process keeps running, so clean-ups still run. Another one within a second is the same
/// interrupt come twice (a terminal's Ctrl-C reaches the whole process group, and a parent passes it on too) and is
/// passed over; a later one calls <c>again</c>, when given.
/// </summary>
public sealed class Interruption : IDisposable
{
    private static readonly TimeSpan Echo = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource cancellation = new();
    private readonly Action<Interruption>? again;
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;
    private readonly Lock gate = new();
    private long firstAt;

    /// <summary>Handles both signals from now on; <paramref name="again"/> is what a later signal does (nothing when null).</summary>
    public Interruption(Action<Interruption>? again = null)
    {
        this.again = again;
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>The first signal that came, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code of a process a signal ended, as a shell reports it: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : ExitCodes.Interrupted;

    /// <inheritdoc />
    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        lock (gate)
        {
            if (Signal is not null)
            {
                if (Stopwatch.GetElapsedTime(firstAt) > Echo)
                {
                    again?.Invoke(this);
                }

                return;
            }

            Signal = context.Signal;
            firstAt = Stopwatch.GetTimestamp();
        }

        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The signal arrived while the run was ending: its handler was already dispatched when the registrations
            // were disposed, so there is nothing left to cancel.
        }
    }
}
