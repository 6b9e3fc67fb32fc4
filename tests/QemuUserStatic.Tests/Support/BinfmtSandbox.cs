namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Runs shell scripts in a fresh user+mount namespace (<c>unshare --user --map-root-user --mount --fork</c>) with a
/// private binfmt_misc mounted on /proc/sys/fs/binfmt_misc first: registrations there are seen by nothing else and
/// vanish with the namespace. The machine's own table is never reachable from a script: if the private mount fails,
/// or the mount is not fresh, the script does not run (exit 97/98).
/// </summary>
public static class BinfmtSandbox
{
    /// <summary>The binfmt_misc folder inside the sandbox (the private instance).</summary>
    public const string Mount = "/proc/sys/fs/binfmt_misc";

    private const string Prelude = $$"""
        mount -t binfmt_misc binfmt_misc {{Mount}} || { echo 'sandbox: cannot mount a private binfmt_misc' >&2; exit 97; }
        for sandbox_file in {{Mount}}/*; do
          case ${sandbox_file##*/} in register|status) ;; *) echo "sandbox: $sandbox_file: binfmt_misc is not private" >&2; exit 98 ;; esac
        done

        """;

    /// <summary>Runs <paramref name="script"/> with <c>sh</c> inside a fresh sandbox.</summary>
    public static ProcessResult Run(string script, IDictionary<string, string?>? environment = null)
    {
        var result = ToolProcess.Run("unshare", ["--user", "--map-root-user", "--mount", "--fork", "sh", "-c", Prelude + script], environment);
        if (result.ExitCode is 97 or 98)
        {
            throw new InvalidOperationException("the binfmt_misc sandbox could not be set up:\n" + result);
        }

        return result;
    }

    /// <summary>
    /// Runs shell commands one after the other in ONE fresh sandbox and returns what each printed and its exit code,
    /// by step name. Later steps see what earlier ones registered.
    /// </summary>
    public static IReadOnlyDictionary<string, ProcessResult> RunSteps(
        IEnumerable<(string Name, string Command)> steps, IDictionary<string, string?>? environment = null)
    {
        using var results = new TempDir("qus-sandbox");
        var list = steps.ToList();
        var script = new System.Text.StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var file = Quote(results[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            script.Append($"( {list[i].Command}\n) >{file}.out 2>{file}.err; echo $? >{file}.rc\n");
        }

        var outcome = Run(script.ToString(), environment);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException("the sandbox script failed:\n" + outcome);
        }

        return list.Select((step, i) =>
        {
            var file = results[i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            return (step.Name, Result: new ProcessResult(
                int.Parse(File.ReadAllText(file + ".rc").Trim(), System.Globalization.CultureInfo.InvariantCulture),
                File.ReadAllText(file + ".out"), File.ReadAllText(file + ".err")));
        }).ToDictionary(r => r.Name, r => r.Result);
    }

    /// <summary>Shell words that run qus-register with <paramref name="args"/> (as a real process, dotnet exec).</summary>
    public static string Tool(params string[] args) =>
        string.Join(' ', new[] { "dotnet", "exec", Repo.ToolDll("Qus.Register") }.Concat(args).Select(Quote));

    /// <summary>Shell commands printing every file of the mount, name and contents, in C order.</summary>
    public static string DumpEntries(string mount = Mount) =>
        $"for f in {Quote(mount)}/*; do n=${{f##*/}}; [ \"$n\" = register ] && continue; echo \"== $n\"; cat \"$f\"; done";

    /// <summary>A single-quoted shell word.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
