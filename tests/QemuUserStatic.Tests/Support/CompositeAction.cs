using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A composite action (actions/NAME/action.yml) read with YamlDotNet, and its <c>run:</c> steps turned into shell
/// commands that run them as the runner does (<c>bash --noprofile --norc -eo pipefail</c>), inputs reaching them
/// only through the step's <c>env:</c>. <c>uses:</c> steps (setup-dotnet) are left to the machine.
/// </summary>
public sealed partial class CompositeAction
{
    private readonly Dictionary<object, object> document;

    /// <summary>Reads actions/<paramref name="name"/>/action.yml of this repository.</summary>
    public CompositeAction(string name)
    {
        Folder = Repo.Under("actions", name);
        File = Path.Combine(Folder, "action.yml");
        document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(System.IO.File.ReadAllText(File));
    }

    /// <summary>The action's folder (GITHUB_ACTION_PATH).</summary>
    public string Folder { get; }

    /// <summary>The action.yml path.</summary>
    public string File { get; }

    /// <summary>The steps, in order, as YAML mappings.</summary>
    public IReadOnlyList<Dictionary<object, object>> Steps =>
        ((List<object>)((Dictionary<object, object>)document["runs"])["steps"]).Cast<Dictionary<object, object>>().ToList();

    /// <summary>The declared inputs and their defaults ("" when none).</summary>
    public IReadOnlyDictionary<string, string> InputDefaults =>
        ((Dictionary<object, object>)document["inputs"]).ToDictionary(
            i => (string)i.Key, i => ((Dictionary<object, object>)i.Value).TryGetValue("default", out var d) ? (string)d : "");

    /// <summary>The <c>run:</c> scripts by step id (or name).</summary>
    public IReadOnlyList<(string Id, string Run)> RunScripts =>
        Steps.Where(s => s.ContainsKey("run")).Select(s => (Id(s), (string)s["run"])).ToList();

    /// <summary>
    /// Shell commands, one per <c>run:</c> step, that run the steps in <paramref name="work"/> (each step's script,
    /// GITHUB_OUTPUT and outputs live there) with <paramref name="inputs"/> over the defaults and
    /// <paramref name="environment"/> exported for every step (RUNNER_TEMP, GITHUB_STEP_SUMMARY, ...).
    /// Expressions in <c>env:</c> are evaluated: inputs, earlier steps' outputs, github.action_path/action_repository.
    /// </summary>
    public IReadOnlyList<(string Name, string Command)> ShellSteps(
        string work, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> environment, string prefix = "")
    {
        var unknown = inputs.Keys.Except(InputDefaults.Keys).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"not inputs of {File}: {string.Join(", ", unknown)}");
        }

        var values = InputDefaults.ToDictionary(d => d.Key, d => inputs.GetValueOrDefault(d.Key, d.Value));
        var commands = new List<(string, string)>();
        foreach (var (step, index) in Steps.Select((s, i) => (s, i)).Where(s => s.s.ContainsKey("run")))
        {
            var id = Id(step);
            var script = Path.Combine(work, $"{prefix}{index}-{id}.sh");
            System.IO.File.WriteAllText(script, (string)step["run"]);
            var exports = environment.Select(e => $"export {e.Key}={BinfmtSandbox.Quote(e.Value)}")
                .Append($"export GITHUB_ACTION_PATH={BinfmtSandbox.Quote(Folder)}")
                .Append($"export GITHUB_OUTPUT={BinfmtSandbox.Quote(OutputFile(work, prefix, id))}")
                .Append("touch \"$GITHUB_OUTPUT\"");
            if (step.TryGetValue("env", out var env))
            {
                exports = exports.Concat(((Dictionary<object, object>)env).Select(e =>
                    $"export {e.Key}={Evaluate((string)e.Value, values, work, prefix)}"));
            }

            commands.Add(($"{prefix}{id}", string.Join("\n", exports) + $"\nbash --noprofile --norc -eo pipefail {BinfmtSandbox.Quote(script)}"));
        }

        return commands;
    }

    /// <summary>The outputs step <paramref name="id"/> wrote (name=value lines).</summary>
    public static IReadOnlyDictionary<string, string> Outputs(string work, string id, string prefix = "") =>
        System.IO.File.ReadAllLines(OutputFile(work, prefix, id)).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);

    private static string OutputFile(string work, string prefix, string id) => Path.Combine(work, $"{prefix}{id}.output");

    private static string Id(Dictionary<object, object> step) =>
        step.TryGetValue("id", out var id) ? (string)id : Regex.Replace(((string)step["name"]).ToLowerInvariant(), "[^a-z0-9]+", "-");

    // A shell word for an env: value; anything but the expressions a composite action may use here is an error.
    private string Evaluate(string value, IReadOnlyDictionary<string, string> inputs, string work, string prefix)
    {
        var parts = new List<string>();
        var last = 0;
        foreach (Match match in Expression().Matches(value))
        {
            parts.Add(BinfmtSandbox.Quote(value[last..match.Index]));
            var expression = match.Groups[1].Value;
            parts.Add(expression.Split('.') switch
            {
                ["inputs", var name] => BinfmtSandbox.Quote(inputs[name]),
                ["steps", var id, "outputs", var name] =>
                    $"\"$(sed -n 's/^{name}=//p' {BinfmtSandbox.Quote(OutputFile(work, prefix, id))} | tail -n 1)\"",
                ["github", "action_path"] => BinfmtSandbox.Quote(Folder),
                ["github", "action_repository"] => BinfmtSandbox.Quote("qemu-user-static-cs/qemu-user-static"),
                _ => throw new ArgumentException($"{File}: expression '{expression}' is not supported by the test harness"),
            });
            last = match.Index + match.Length;
        }

        parts.Add(BinfmtSandbox.Quote(value[last..]));
        return string.Concat(parts);
    }

    [GeneratedRegex(@"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Expression();
}
