namespace QemuUserStatic.Cli;

/// <summary>
/// A problem the user can act on (bad argument, bad file, unreachable service). Tools print its message as one
/// line and exit with <see cref="ExitCode"/>; never a stack trace.
/// </summary>
public class UserException(string message, int exitCode = ExitCodes.Failure, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The process exit code for this problem.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Exit codes shared by every qus-* tool.</summary>
public static class ExitCodes
{
    /// <summary>Everything done.</summary>
    public const int Success = 0;

    /// <summary>The work failed (bad input file, digest mismatch, some targets failed, service error).</summary>
    public const int Failure = 1;

    /// <summary>Bad command-line arguments.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl-C, SIGTERM).</summary>
    public const int Interrupted = 130;
}
