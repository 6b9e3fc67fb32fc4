namespace QemuUserStatic.Tests.Support;

/// <summary>The project's promise for user errors: one <c>qus-TOOL: error: ...</c> line, its exit code, no stack trace.</summary>
public static class OneLineError
{
    /// <summary>Asserts that <paramref name="result"/> is exactly one error line of <paramref name="tool"/> containing <paramref name="problem"/>.</summary>
    public static void Check(ProcessResult result, string tool, string problem, int exitCode = 1)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(tool + ":", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(lines[0], Does.StartWith(tool + ": error: ").And.Contain(problem), result.ToString());
        Assert.That(result.StandardError, Does.Not.Contain("   at "), "no stack trace");
    }
}
