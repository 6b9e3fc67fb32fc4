using System.Globalization;
using System.Text;

namespace QemuUserStatic.Common;

/// <summary>
/// Text as it may reach a terminal or a log: every byte of its UTF-8 form outside printable ASCII, and the
/// backslash, written as <c>\xHH</c>. A name another program chose (a binfmt_misc entry, an environment value) then
/// cannot move the cursor, clear the screen or forge a line. The generated /register script escapes the same way.
/// </summary>
internal static class PrintableText
{
    /// <summary>True when <paramref name="text"/> prints as it is (printable ASCII, no backslash).</summary>
    public static bool IsPlain(string text) => text.All(c => c is >= ' ' and <= '~' and not '\\');

    /// <summary><paramref name="text"/> with every byte that is not plain printable ASCII as <c>\xHH</c>.</summary>
    public static string Escape(string text)
    {
        if (IsPlain(text))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)' ' and <= (byte)'~' and not (byte)'\\')
            {
                shown.Append((char)b);
            }
            else
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return shown.ToString();
    }
}
