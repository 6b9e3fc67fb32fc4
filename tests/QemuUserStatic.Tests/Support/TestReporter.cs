using QemuUserStatic.Cli;

namespace QemuUserStatic.Tests.Support;

/// <summary>The reporter of a tool run outside GitHub Actions and off a terminal, writing to a log the test reads.</summary>
internal static class TestReporter
{
    /// <summary>A reporter writing to <paramref name="log"/>: no workflow commands, no progress redrawn in place.</summary>
    public static Reporter To(TextWriter log) => new(log, isTerminal: false, new GitHubActions(new Dictionary<string, string?>()));
}
