namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The runner's environment for executing actions in tests: one RUNNER_TEMP for the whole test run, so that
/// install-tool.sh packs each tool once and every tool after the first reuses the library's build (CI time), and
/// per test a job summary, GITHUB_PATH and GITHUB_ACTIONS=true.
/// </summary>
public static class ActionEnvironment
{
    private static readonly Lazy<string> SharedRunnerTemp = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("qus-runner-temp-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    });

    /// <summary>RUNNER_TEMP of every action test in this run (the packed tools are cached in it).</summary>
    public static string RunnerTemp => SharedRunnerTemp.Value;

    /// <summary>The variables a runner sets for a step, with the per-test files in <paramref name="work"/>.</summary>
    public static Dictionary<string, string> For(TempDir work) => new()
    {
        ["RUNNER_TEMP"] = RunnerTemp,
        ["GITHUB_STEP_SUMMARY"] = work["summary.md"],
        ["GITHUB_PATH"] = work["path"],
        ["GITHUB_ACTIONS"] = "true",
    };
}
