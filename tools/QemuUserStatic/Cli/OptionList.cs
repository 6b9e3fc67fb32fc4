namespace QemuUserStatic.Cli;

/// <summary>
/// The values of a list option, given repeated (<c>--tags a --tags b</c>), separated by commas, spaces, tabs or newlines
/// (<c>--tags a,b</c>, <c>"a b"</c>, a workflow's multi-line input) or both: the one way every tool splits a list.
/// </summary>
public static class OptionList
{
    // The separators of register.sh's targets (and the images' /register script's IFS), plus CR for CRLF input.
    private static readonly char[] Separators = [',', ' ', '\t', '\n', '\r'];

    /// <summary>Every item, trimmed, empty ones dropped, in the order given; none for an absent option.</summary>
    public static IReadOnlyList<string> Items(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
