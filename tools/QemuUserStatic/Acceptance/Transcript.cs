using System.Text;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// What the running case did, line by line: shown as it happens (stderr, grouped in Actions) and kept for the case's
/// result (JUnit system-out).
/// </summary>
public sealed class Transcript(Reporter reporter)
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

        // Each line escaped on its own: a command's output is several lines by nature, and a line break in it must stay
        // one (only what could make a line a workflow command or a terminal sequence is escaped).
        foreach (var line in trimmed.Split('\n'))
        {
            reporter.Line(line.TrimEnd('\r'));
        }
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
