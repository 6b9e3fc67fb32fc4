using System.Text;

namespace QemuUserStatic.Common;

/// <summary>What a finished external command gave: its command line (for logs), exit code and output.</summary>
/// <param name="CommandLine">The command as a shell would show it.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
public sealed record ProcessOutput(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// The last non-empty line of stderr (where programs put their error), else of stdout, else the exit code; a
    /// closing "Run 'docker run --help' for more information" is a hint, not the error, and is passed over.
    /// </summary>
    public string LastError =>
        LastLine(StandardError) ?? LastLine(StandardOutput) ?? $"exit code {ExitCode}";

    /// <summary>stdout and stderr together, trimmed.</summary>
    public string AllOutput => (StandardOutput + "\n" + StandardError).Trim();

    /// <summary>The command, what it printed and (when not 0) its exit code, for a transcript.</summary>
    public string Transcript()
    {
        var text = new StringBuilder("$ ").Append(CommandLine).Append('\n');
        foreach (var stream in new[] { StandardOutput, StandardError })
        {
            var trimmed = stream.TrimEnd();
            if (trimmed.Length > 0)
            {
                text.Append(trimmed).Append('\n');
            }
        }

        if (ExitCode != 0)
        {
            text.Append("(exit code ").Append(ExitCode).Append(")\n");
        }

        return text.ToString();
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => !(line.StartsWith("Run '", StringComparison.Ordinal) && line.EndsWith("--help' for more information", StringComparison.Ordinal)));
}
