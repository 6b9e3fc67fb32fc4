namespace QemuUserStatic.Tests.Support;

/// <summary>Assertions on how a tool ended, shared by the tests of every tool.</summary>
public static class ToolAssert
{
    /// <summary>
    /// The run ended with <paramref name="exitCode"/> and exactly one line of <paramref name="tool"/>'s, an error line
    /// containing <paramref name="problem"/>, and no stack trace.
    /// </summary>
    public static void OneLineError(ProcessResult result, string tool, string problem, int exitCode = 1)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith($"{tool}:", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(lines[0], Does.StartWith($"{tool}: error: ").And.Contain(problem), result.ToString());
        Assert.That(result.StandardError, Does.Not.Contain("   at "), "no stack trace");
    }
}
