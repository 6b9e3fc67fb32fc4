using System.CommandLine;
using System.Security.Cryptography;

namespace QemuUserStatic.Cli;

/// <summary>
/// Runs a tool's root command: parses, invokes, and turns every failure into one line on stderr and an exit code.
/// A tool's Program.cs is <c>return await ToolApp.RunAsync("qus-x", command, args);</c>.
/// </summary>
public static class ToolApp
{
    /// <summary>Parses <paramref name="args"/> against <paramref name="command"/>, runs it and maps errors to exit codes.</summary>
    public static async Task<int> RunAsync(string name, RootCommand command, string[] args)
    {
        // A signal that comes again while the first is being handled ends the process at once, for a thread blocked
        // where no cancellation reaches it.
        using var interruption = new Interruption(first =>
        {
            Console.Error.WriteLine($"{name}: error: interrupted again: stopped at once");
            Environment.Exit(first.ExitCode);
        });
        try
        {
            var parse = command.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    Console.Error.WriteLine(ErrorLine($"{name}: {error.Message}"));
                }

                Console.Error.WriteLine($"{name}: see '{name} --help'");
                return ExitCodes.Usage;
            }

            // Signals are Interruption's alone: System.CommandLine's own handler would end every interrupted run with 130.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, interruption.Token);
        }
        catch (Exception ex) when (Describe(ex) is { } problem)
        {
            Console.Error.WriteLine(ErrorLine($"{name}: error: {problem.Message}"));
            // An interrupt ends with the code a shell gives a process the signal ended (130 SIGINT, 143 SIGTERM).
            return problem.ExitCode == ExitCodes.Interrupted ? interruption.ExitCode : problem.ExitCode;
        }
    }

    /// <summary>An error as one line: a message may quote what an input said, line breaks and all.</summary>
    public static string ErrorLine(string text) => LogText.Line(text, GitHubActions.Current.IsActive);

    /// <summary>The one-line description and exit code of an exception a user can act on, or null for a bug.</summary>
    public static UserException? Describe(Exception ex) => ex switch
    {
        UserException user => user,
        OperationCanceledException => new UserException("interrupted", ExitCodes.Interrupted),
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Describe(aggregate.InnerExceptions[0]),
        UnauthorizedAccessException io => new UserException(io.Message),
        DirectoryNotFoundException io => new UserException(io.Message),
        FileNotFoundException io => new UserException($"{io.FileName ?? io.Message}: no such file"),
        PathTooLongException io => new UserException(io.Message),
        IOException io => new UserException(io.Message),
        CryptographicException crypto => new UserException(crypto.Message),
        _ => null,
    };
}
