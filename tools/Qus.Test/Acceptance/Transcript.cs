using System.Text;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// What the running case did, line by line: shown as it happens (stderr, grouped in Actions) and kept for the case's
/// result (JUnit system-out).
/// </summary>
internal sealed class Transcript(Reporter reporter)
{
    private readonly Lock gate = new();
    private StringBuilder current = new();

    /// <summary>Adds lines of text.</summary>
    public void Add(string text)
    {
        var trimmed = text.TrimEnd('\n');
        lock (gate)
        {
            current.Append(trimmed).Append('\n');
        }

        reporter.Lines(trimmed);
    }

    /// <summary>Adds a command, what it printed and its exit code.</summary>
    public void Add(ProcessOutput output) => Add(output.Transcript());

    /// <summary>Everything added since the last call, and starts afresh.</summary>
    public string Take()
    {
        lock (gate)
        {
            var text = current.ToString();
            current = new StringBuilder();
            return text;
        }
    }
}
