namespace QemuUserStatic.Acceptance.Guests;

/// <summary>Text from outside (a file name, what a guest printed) made safe for one report line.</summary>
internal static class ShownText
{
    /// <summary>At most <paramref name="limit"/> characters, line breaks as \n and other control characters as \xHH.</summary>
    public static string Of(string text, int limit = 200)
    {
        var cut = text.Length > limit ? text[..limit] + "..." : text;
        return string.Concat(cut.Select(c => c == '\n' ? "\\n" : char.IsControl(c) || c == '\\' ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
