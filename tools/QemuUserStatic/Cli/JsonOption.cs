using System.CommandLine;

namespace QemuUserStatic.Cli;

/// <summary>The <c>--json</c> option every tool shares (see <see cref="StepOutput"/>).</summary>
public static class JsonOption
{
    /// <summary>A new <c>--json</c> option.</summary>
    public static Option<bool> Create() => new("--json")
    {
        Description = "Print the result as one JSON object on stdout (the lines stdout has otherwise go to stderr)",
    };
}
