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

    /// <summary>
    /// Appends a step output; values with a line break use the documented heredoc form, with a delimiter the value
    /// does not contain (so a value can never end early and set other outputs).
    /// </summary>
    public void SetOutput(string name, string value)
    {
        if (Path("GITHUB_OUTPUT") is not { } file)
        {
            return;
        }

        File.AppendAllText(file, OutputEntry(name, value));
    }

    /// <summary>The <c>$GITHUB_OUTPUT</c> text that sets <paramref name="name"/> to <paramref name="value"/>.</summary>
    public static string OutputEntry(string name, string value)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"'{name}' is not an output name", nameof(name));
        }

        if (!value.Contains('\n') && !value.Contains('\r'))
        {
            return $"{name}={value}\n";
        }

        var delimiter = $"qus_{Guid.NewGuid():N}";
        while (value.Contains(delimiter, StringComparison.Ordinal))
        {
            delimiter = $"qus_{Guid.NewGuid():N}";
        }

        return $"{name}<<{delimiter}\n{value}\n{delimiter}\n";
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

        // The title is the command's data: escaped, so that nothing in it can end the line and start another command.
        log.WriteLine($"::group::{LogText.ActionsData(title)}");
        return new Disposable(() => log.WriteLine("::endgroup::"));
    }

    /// <summary>A markdown table with a header row; cells have their pipes and control characters escaped.</summary>
    public static string MarkdownTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => LogText.Terminal(c).Replace("|", "\\|"))) + " |";
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
