using System.Globalization;

namespace QemuUserStatic.Tests.Support;

/// <summary>Runs a tool under GNU time to learn its peak resident memory.</summary>
public static class PeakMemory
{
    /// <summary>The outcome of tools/<paramref name="project"/> and its peak RSS in KiB (GNU time's own line removed from stderr).</summary>
    public static (ProcessResult Result, long MaxRssKiB) RunTool(string project, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var result = ToolProcess.Run("/usr/bin/time", ["-f", "maxrss-kb=%M", "dotnet", "exec", Repo.ToolDll(project), .. args], environment);
        var cut = result.StandardError.LastIndexOf("maxrss-kb=", StringComparison.Ordinal);
        Assert.That(cut, Is.GreaterThanOrEqualTo(0), result.ToString());
        var maxRss = long.Parse(result.StandardError[(cut + "maxrss-kb=".Length)..].Trim(), CultureInfo.InvariantCulture);
        // GNU time reports a non-zero exit as "Command exited with non-zero status N" before its format line.
        var stderr = string.Join('\n', result.StandardError[..cut].Split('\n').Where(l => !l.StartsWith("Command exited with non-zero status", StringComparison.Ordinal)));
        return (result with { StandardError = stderr }, maxRss);
    }
}
