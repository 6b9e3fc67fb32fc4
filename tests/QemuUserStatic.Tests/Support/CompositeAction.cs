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

    /// <summary>
    /// The <c>github</c> context the action's expressions see (input defaults such as <c>${{ github.token }}</c>,
    /// <c>github.action_repository</c>); tests set what they need.
    /// </summary>
    public Dictionary<string, string> GitHub { get; } = new()
    {
        ["action_repository"] = "qemu-user-static-cs/qemu-user-static",
        ["repository"] = "qemu-user-static-cs/qemu-user-static",
        ["api_url"] = "https://api.github.com",
        ["token"] = "",
        ["actor"] = "qus-test",
    };

    /// <summary>The steps, in order, as YAML mappings.</summary>
    public IReadOnlyList<Dictionary<object, object>> Steps =>
        ((List<object>)((Dictionary<object, object>)document["runs"])["steps"]).Cast<Dictionary<object, object>>().ToList();

    /// <summary>The declared inputs and their defaults ("" when none), expressions as written.</summary>
    public IReadOnlyDictionary<string, string> InputDefaults =>
        ((Dictionary<object, object>)document["inputs"]).ToDictionary(
            i => (string)i.Key, i => ((Dictionary<object, object>)i.Value).TryGetValue("default", out var d) ? (string)d : "");

    /// <summary>The declared outputs and the expression each maps from.</summary>
    public IReadOnlyDictionary<string, string> OutputValues =>
        document.TryGetValue("outputs", out var outputs)
            ? ((Dictionary<object, object>)outputs).ToDictionary(o => (string)o.Key, o => (string)((Dictionary<object, object>)o.Value)["value"])
            : new Dictionary<string, string>();

    /// <summary>The <c>run:</c> scripts by step id (or name).</summary>
    public IReadOnlyList<(string Id, string Run)> RunScripts =>
        Steps.Where(s => s.ContainsKey("run")).Select(s => (Id(s), (string)s["run"])).ToList();

    /// <summary>
    /// Shell commands, one per <c>run:</c> step, that run the steps in <paramref name="work"/> (each step's script,
    /// GITHUB_OUTPUT and outputs live there) with <paramref name="inputs"/> over the defaults and
    /// <paramref name="environment"/> exported for every step (RUNNER_TEMP, GITHUB_STEP_SUMMARY, ...).
    /// Expressions in <c>env:</c> and in input defaults are evaluated: inputs, earlier steps' outputs, <see cref="GitHub"/>.
    /// </summary>
    public IReadOnlyList<(string Name, string Command)> ShellSteps(
        string work, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> environment, string prefix = "")
    {
        var unknown = inputs.Keys.Except(InputDefaults.Keys).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"not inputs of {File}: {string.Join(", ", unknown)}");
        }

        var values = InputDefaults.ToDictionary(d => d.Key, d => inputs.TryGetValue(d.Key, out var given) ? given : DefaultValue(d.Value));
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

    /// <summary>
    /// Runs the action's <c>run:</c> steps one after the other with bash (no sandbox), stopping at the first that
    /// fails as the runner does; returns each step's outcome by name (prefix + id) and the action's outputs.
    /// </summary>
    public ActionRun Run(
        string work, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> environment, string prefix = "")
    {
        var results = new Dictionary<string, ProcessResult>();
        foreach (var (name, command) in ShellSteps(work, inputs, environment, prefix))
        {
            var result = ToolProcess.Run("bash", ["-c", command], timeout: TimeSpan.FromMinutes(10));
            results[name] = result;
            if (result.ExitCode != 0)
            {
                break;
            }
        }

        return new ActionRun(results, Outputs(work, prefix));
    }

    /// <summary>The action's declared outputs, each evaluated from the step outputs written in <paramref name="work"/>.</summary>
    public IReadOnlyDictionary<string, string> Outputs(string work, string prefix = "") =>
        OutputValues.ToDictionary(o => o.Key, o => StepOutputExpression().Match(o.Value) is { Success: true } m
            && System.IO.File.Exists(OutputFile(work, prefix, m.Groups[1].Value))
                ? Outputs(work, m.Groups[1].Value, prefix).GetValueOrDefault(m.Groups[2].Value, "")
                : "");

    /// <summary>The outputs step <paramref name="id"/> wrote: <c>name=value</c> lines and the <c>name&lt;&lt;DELIMITER</c> form.</summary>
    public static IReadOnlyDictionary<string, string> Outputs(string work, string id, string prefix = "") =>
        QemuUserStatic.Cli.StepOutputs.Parse(System.IO.File.ReadAllText(OutputFile(work, prefix, id)), OutputFile(work, prefix, id));

    private static string OutputFile(string work, string prefix, string id) => Path.Combine(work, $"{prefix}{id}.output");

    private static string Id(Dictionary<object, object> step) =>
        step.TryGetValue("id", out var id) ? (string)id : Regex.Replace(((string)step["name"]).ToLowerInvariant(), "[^a-z0-9]+", "-");

    // An input default: plain text, or one github.* expression (actions default tokens to ${{ github.token }}).
    private string DefaultValue(string value) => Expression().Match(value) is { Success: true } match
        ? match.Value == value && match.Groups[1].Value.Split('.') is ["github", var key]
            ? GitHub.TryGetValue(key, out var known) ? known : throw new ArgumentException($"{File}: github.{key} is not in the test's github context")
            : throw new ArgumentException($"{File}: default '{value}' is not supported by the test harness")
        : value;

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
                ["github", var key] when GitHub.TryGetValue(key, out var known) => BinfmtSandbox.Quote(known),
                _ => throw new ArgumentException($"{File}: expression '{expression}' is not supported by the test harness"),
            });
            last = match.Index + match.Length;
        }

        parts.Add(BinfmtSandbox.Quote(value[last..]));
        return string.Concat(parts);
    }

    [GeneratedRegex(@"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$")]
    private static partial Regex StepOutputExpression();

}

/// <summary>What running an action's steps gave: each step's outcome by name, and the action's outputs.</summary>
public sealed record ActionRun(IReadOnlyDictionary<string, ProcessResult> Steps, IReadOnlyDictionary<string, string> Outputs)
{
    /// <summary>True when every step ran and exited 0.</summary>
    public bool Succeeded => Steps.Count > 0 && Steps.Values.All(s => s.ExitCode == 0);

    /// <summary>Every step's outcome, for assertion messages.</summary>
    public override string ToString() => string.Join("\n", Steps.Select(s => $"== step {s.Key}: {s.Value}"));
}
