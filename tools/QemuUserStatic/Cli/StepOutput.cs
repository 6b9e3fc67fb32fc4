using QemuUserStatic.Common;

namespace QemuUserStatic.Cli;

/// <summary>
/// The one way a tool tells what its step did: the step outputs (<c>$GITHUB_OUTPUT</c>), the job summary and, with
/// <c>--json</c>, the result as one JSON object on stdout (written with the result's <see cref="IStepResult.JsonType"/>).
/// </summary>
public static class StepOutput
{
    /// <summary>Writes what <paramref name="result"/> tells (the document when <paramref name="reporter"/> is made for <c>--json</c>) and returns its exit code.</summary>
    public static int Write(IStepResult result, Reporter reporter)
    {
        foreach (var (name, value) in result.Outputs)
        {
            reporter.Actions.SetOutput(name, value);
        }

        if (result.Summary is { } summary)
        {
            reporter.Actions.AppendSummary(summary);
        }

        if (reporter.WritesDocument)
        {
            reporter.Document.WriteLine(ReadableJson.Serialize(result, result.JsonType));
            reporter.Document.Flush();
        }

        return result.ExitCode;
    }

}
