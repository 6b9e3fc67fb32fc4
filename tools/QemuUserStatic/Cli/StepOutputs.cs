namespace QemuUserStatic.Cli;

/// <summary>
/// Reads what a tool wrote to its <c>$GITHUB_OUTPUT</c> file (<see cref="GitHubActions.OutputEntry"/>): <c>name=value</c>
/// lines and the heredoc form <c>name&lt;&lt;DELIMITER</c> … <c>DELIMITER</c>. The pipeline passes values from one
/// tool to the next through it, the contract the workflow's steps use too. A later entry of a name replaces an
/// earlier one, as in Actions.
/// </summary>
public static class StepOutputs
{
    /// <summary>The outputs in the file at <paramref name="path"/> (none when it does not exist).</summary>
    public static IReadOnlyDictionary<string, string> Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The outputs in <paramref name="text"/>; a heredoc without its closing line is a user error naming <paramref name="source"/>.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text, string source)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        // Lines end at '\n' only: a value may hold a '\r' (OutputEntry writes such a value as a heredoc).
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            // name<<DELIMITER has no '=' before its '<<' (a value may contain '<<').
            if (heredoc > 0 && (equals < 0 || equals > heredoc))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var end = Array.IndexOf(lines, delimiter, i + 1);
                if (end < 0)
                {
                    throw new UserException($"{source}: output {LogText.Terminal(name)}: no closing line {LogText.Terminal(delimiter)}");
                }

                outputs[name] = string.Join('\n', lines[(i + 1)..end]);
                i = end;
            }
            else if (equals > 0)
            {
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }
}
