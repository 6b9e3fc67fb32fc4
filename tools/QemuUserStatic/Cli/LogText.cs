using System.Globalization;
using System.Text;

namespace QemuUserStatic.Cli;

/// <summary>
/// Makes text that may carry what an input said (a package's version, a file name, a registry's error) safe to
/// write as one log line. In GitHub Actions the runner acts on any line that starts with <c>::</c> or <c>##[</c>
/// (after leading blanks), so a newline in untrusted text could start a workflow command; on a terminal, escape
/// sequences could rewrite what the user sees.
/// </summary>
public static class LogText
{
    /// <summary>
    /// <paramref name="text"/> as the data of a workflow command, escaped the way @actions/core escapes it
    /// (<c>%</c> → <c>%25</c>, CR → <c>%0D</c>, LF → <c>%0A</c>); other control characters as <c>\xNN</c>.
    /// </summary>
    public static string ActionsData(string text) => Escape(text, c => c switch
    {
        '%' => "%25",
        '\r' => "%0D",
        '\n' => "%0A",
        _ => null,
    });

    /// <summary>
    /// <paramref name="text"/> as one plain line of an Actions log: <see cref="ActionsData"/>, and a start the
    /// runner would take for a command (<c>::</c>, <c>##[</c>) escaped too (<c>%3A:</c>, <c>%23#[</c>).
    /// </summary>
    public static string ActionsLine(string text)
    {
        var escaped = ActionsData(text);
        var start = escaped.Length - escaped.TrimStart().Length;
        var rest = escaped.AsSpan(start);
        if (rest.StartsWith("::", StringComparison.Ordinal) || rest.StartsWith("##[", StringComparison.Ordinal))
        {
            return string.Concat(escaped.AsSpan(0, start), rest[0] == ':' ? "%3A" : "%23", rest[1..]);
        }

        return escaped;
    }

    /// <summary><paramref name="text"/> as one line for a terminal or a plain log: control characters as <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\xNN</c>.</summary>
    public static string Terminal(string text) => Escape(text, c => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => null,
    });

    /// <summary>One line of a log: <see cref="ActionsLine"/> inside GitHub Actions, <see cref="Terminal"/> elsewhere.</summary>
    public static string Line(string text, bool inActions) => inActions ? ActionsLine(text) : Terminal(text);

    /// <summary><paramref name="text"/> with the characters <paramref name="special"/> maps replaced, and every other control character as <c>\xNN</c>.</summary>
    private static string Escape(string text, Func<char, string?> special)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (special(c) is { } replacement)
            {
                escaped.Append(replacement);
            }
            else if (char.IsControl(c))
            {
                // C0, DEL and C1 are all below U+0100, so two hex digits always suffice.
                escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
