using System.Text.RegularExpressions;
using QemuUserStatic.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Tests.Workflows;

/// <summary>Every workflow and action file is valid for GitHub, and its shell passes shellcheck.</summary>
public partial class WorkflowFilesTests
{
    [TestCaseSource(typeof(GitHubYaml), nameof(GitHubYaml.AllFilesRelative))]
    public void Validates_against_GitHub_schema(string file)
    {
        // action-validator 0.6.0 (the newest) has a schema older than GitHub's `attestations` permission: it checks a
        // copy without exactly those lines (WorkflowGraphTests checks where they are); everything else as written.
        var lines = File.ReadAllLines(Repo.Under(file));
        var known = lines.Where(l => l.Trim() != "attestations: write").ToArray();
        using var temp = new TempDir("validate");
        var copy = Path.Combine(temp.Path, file);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.WriteAllLines(copy, known);
        var result = ToolProcess.Run(NodeTools.ActionValidator, [file], workingDirectory: temp.Path);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [TestCaseSource(typeof(GitHubYaml), nameof(GitHubYaml.AllFilesRelative))]
    public void Run_steps_pass_shellcheck_and_take_inputs_from_the_environment(string file)
    {
        var root = GitHubYaml.Load(Repo.Under(file));
        var steps = file.StartsWith("actions", StringComparison.Ordinal)
            ? GitHubYaml.ActionSteps(root)
            : GitHubYaml.WorkflowSteps(root).Select(s => s.Step);
        foreach (var step in steps)
        {
            if (step.Str("run") is not { } script)
            {
                continue;
            }

            var name = step.Str("name") ?? script.Split('\n')[0];
            Assert.That(Expression().IsMatch(script), Is.False, $"{file}: step '{name}' puts ${{{{ }}}} inside run:; pass it as env");
            using var temp = new TempDir("shellcheck");
            var scriptFile = temp["step.sh"];
            File.WriteAllText(scriptFile, "#!/usr/bin/env bash\nset -euo pipefail\n" + script);
            var check = ToolProcess.Run("shellcheck", ["--shell=bash", "--severity=style", scriptFile]);
            Assert.That(check.ExitCode, Is.Zero, $"{file}: step '{name}'\n{check.StandardOutput}");
        }
    }

    [GeneratedRegex(@"\$\{\{")]
    private static partial Regex Expression();
}
