namespace QemuUserStatic.Cli;

/// <summary>
/// What a tool tells GitHub Actions when it runs there: step outputs (<c>$GITHUB_OUTPUT</c>), the job summary
/// (<c>$GITHUB_STEP_SUMMARY</c>) and log groups. Outside Actions every call does nothing.
/// </summary>
public sealed class GitHubActions(IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>The Actions context of this process.</summary>
    public static GitHubActions Current { get; } = new(
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value));

    /// <summary>True when running inside a GitHub Actions job.</summary>
    public bool IsActive => environment.TryGetValue("GITHUB_ACTIONS", out var value) && value == "true";

    /// <summary>Appends a step output; multi-line values use the documented heredoc form.</summary>
    public void SetOutput(string name, string value)
    {
        if (Path("GITHUB_OUTPUT") is not { } file)
        {
            return;
        }

        if (value.Contains('\n'))
        {
            var delimiter = $"qus_{Guid.NewGuid():N}";
            File.AppendAllText(file, $"{name}<<{delimiter}\n{value}\n{delimiter}\n");
        }
        else
        {
            File.AppendAllText(file, $"{name}={value}\n");
        }
    }

    /// <summary>Appends markdown to the job summary.</summary>
    public void AppendSummary(string markdown)
    {
        if (Path("GITHUB_STEP_SUMMARY") is { } file)
        {
            File.AppendAllText(file, markdown.EndsWith('\n') ? markdown : markdown + "\n");
        }
    }

    /// <summary>Starts a collapsible log group; dispose the result to end it.</summary>
    public IDisposable Group(TextWriter log, string title)
    {
        if (!IsActive)
        {
            return new Disposable(() => { });
        }

        log.WriteLine($"::group::{title}");
        return new Disposable(() => log.WriteLine("::endgroup::"));
    }

    /// <summary>A markdown table with a header row; cells have their pipes escaped.</summary>
    public static string MarkdownTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|"))) + " |";
        var lines = new List<string> { Line(header), Line(header.Select(_ => "---")) };
        lines.AddRange(rows.Select(Line));
        return string.Join('\n', lines) + "\n";
    }

    private string? Path(string variable) =>
        environment.TryGetValue(variable, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private sealed class Disposable(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
