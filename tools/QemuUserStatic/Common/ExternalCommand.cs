using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// Runs a program through CliWrap: <see cref="RunAsync"/> returns its output whatever its exit code (cancelling
/// kills it); <see cref="StreamAsync"/> hands on its lines as they come (cancelling interrupts it).
/// </summary>
public static partial class ExternalCommand
{
    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> (never secrets: they would show in logs).
    /// A program missing from PATH is a user error that says how to get it (<paramref name="installHint"/>), or
    /// <paramref name="notFoundMessage"/> in full when the caller words it for its own option. It runs in
    /// <paramref name="workingDirectory"/>, or this process's, with <paramref name="environment"/> added to (or, null
    /// values, removed from) this process's. Its stdin is <paramref name="standardInput"/>, or what
    /// <paramref name="writeStandardInput"/> writes while it runs (streamed: nothing is held in memory or on disk).
    /// </summary>
    public static async Task<ProcessOutput> RunAsync(
        string executable, IReadOnlyList<string> arguments, string? standardInput = null, string? installHint = null,
        CancellationToken cancellationToken = default, string? notFoundMessage = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, Func<Stream, CancellationToken, Task>? writeStandardInput = null)
    {
        var command = Command(executable, arguments, workingDirectory, environment);
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }

        if (writeStandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.Create(writeStandardInput));
        }

        try
        {
            var result = await command.ExecuteBufferedAsync(cancellationToken).ConfigureAwait(false);
            return new ProcessOutput(CommandLine(executable, arguments), result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception)
        {
            throw NotFound(executable, installHint, notFoundMessage);
        }
    }

    private static Command Command(
        string executable, IReadOnlyList<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var command = CliWrap.Cli.Wrap(executable).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>());
        return workingDirectory is null ? command : command.WithWorkingDirectory(workingDirectory);
    }

    private static UserException NotFound(string executable, string? installHint, string? notFoundMessage) =>
        new(notFoundMessage ?? $"{executable}: not found on PATH{(installHint is null ? "" : $" ({installHint})")}");

    /// <summary>The command line as a POSIX shell would take it: words with special characters single-quoted.</summary>
    public static string CommandLine(string executable, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(executable).Select(ShellWord));

    /// <summary>A word quoted for a POSIX shell when it needs it.</summary>
    public static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
