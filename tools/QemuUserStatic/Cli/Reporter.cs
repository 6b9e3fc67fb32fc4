namespace QemuUserStatic.Cli;

/// <summary>
/// Human output of a tool: a live progress line on a terminal, plain lines in logs, and log groups in GitHub
/// Actions. Everything goes to stderr so that stdout stays for results a script may read. Every line is escaped
/// (<see cref="LogText"/>): messages carry what inputs say, and in Actions a line break in them could start a
/// workflow command.
/// </summary>
/// <param name="log">Where the human lines go (stderr).</param>
/// <param name="isTerminal">True when <paramref name="log"/> is a terminal (progress lines are shown).</param>
/// <param name="actions">The Actions context.</param>
/// <param name="results">Where the result lines a script may read go (stdout); none when null.</param>
/// <param name="document">Where the <c>--json</c> document goes (stdout); none when null.</param>
public sealed class Reporter(
    TextWriter log, bool isTerminal, GitHubActions actions, TextWriter? results = null, TextWriter? document = null)
{
    private readonly Lock gate = new();
    private bool progressShown;

    private static readonly bool ErrorIsTerminal =
        !System.Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>The reporter for this process: stderr, terminal detection, the Actions context; results on stdout, no document.</summary>
    public static Reporter Console { get; } = new(
        System.Console.Error, ErrorIsTerminal, GitHubActions.Current, System.Console.Out);

    /// <summary>
    /// The reporter of a tool run: <see cref="Console"/>, or with <paramref name="json"/> one whose result lines go to
    /// stderr, so that stdout carries the JSON document alone.
    /// </summary>
    public static Reporter ForTool(bool json) =>
        json ? new(System.Console.Error, ErrorIsTerminal, GitHubActions.Current, System.Console.Error, System.Console.Out) : Console;

    /// <summary>The Actions context outputs and summaries go to.</summary>
    public GitHubActions Actions => actions;

    /// <summary>The result lines a script may read (stdout; stderr in <c>--json</c> mode), written as they are.</summary>
    public TextWriter Results => results ?? TextWriter.Null;

    /// <summary>Where the <c>--json</c> document goes (stdout).</summary>
    public TextWriter Document => document ?? TextWriter.Null;

    /// <summary>True when this reporter was made for <c>--json</c>: the step's result goes to <see cref="Document"/>.</summary>
    public bool WritesDocument => document is not null;

    /// <summary>The log itself, for text a caller has made safe already in a format of its own (qus-register's lines).</summary>
    public TextWriter Log => log;

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
