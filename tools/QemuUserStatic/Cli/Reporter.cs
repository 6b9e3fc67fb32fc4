namespace QemuUserStatic.Cli;

/// <summary>
/// Human output of a tool: a live progress line on a terminal, plain lines in logs, and log groups in GitHub
/// Actions. Everything goes to stderr so that stdout stays for results a script may read. Every line is escaped
/// (<see cref="LogText"/>): messages carry what inputs say, and in Actions a line break in them could start a
/// workflow command.
/// </summary>
public sealed class Reporter(TextWriter log, bool isTerminal, GitHubActions actions)
{
    private readonly Lock gate = new();
    private bool progressShown;

    /// <summary>The reporter for this process: stderr, terminal detection, the Actions context.</summary>
    public static Reporter Console { get; } = new(
        System.Console.Error, !System.Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb",
        GitHubActions.Current);

    /// <summary>The Actions context outputs and summaries go to.</summary>
    public GitHubActions Actions => actions;

    /// <summary>Writes one line (ends a progress line first).</summary>
    public void Line(string message)
    {
        lock (gate)
        {
            EndProgress();
            log.WriteLine(LogText.Line(message, actions.IsActive));
        }
    }

    /// <summary>
    /// Writes text that is several lines by nature (a command's output) a line each, every line escaped on its own, so
    /// that a line break in it stays one; only what could make a line a workflow command or a terminal sequence is escaped.
    /// </summary>
    public void Lines(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line(line.TrimEnd('\r'));
        }
    }

    /// <summary>Shows progress: rewritten in place on a terminal, nothing in logs (they get <see cref="Line"/>s).</summary>
    public void Progress(string message)
    {
        if (!isTerminal)
        {
            return;
        }

        lock (gate)
        {
            var width = Math.Max(20, SafeWindowWidth() - 1);
            var escaped = LogText.Terminal(message);
            var text = escaped.Length > width ? escaped[..width] : escaped;
            log.Write("\r" + text.PadRight(width));
            progressShown = true;
        }
    }

    /// <summary>Starts a phase: a log group in Actions, a plain heading line elsewhere.</summary>
    public IDisposable Phase(string title)
    {
        lock (gate)
        {
            EndProgress();
            if (!actions.IsActive)
            {
                log.WriteLine($"== {LogText.Terminal(title)}");
            }

            return actions.Group(log, title);
        }
    }

    private void EndProgress()
    {
        if (progressShown)
        {
            log.Write("\r" + new string(' ', Math.Max(20, SafeWindowWidth() - 1)) + "\r");
            progressShown = false;
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return System.Console.WindowWidth > 0 ? System.Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
