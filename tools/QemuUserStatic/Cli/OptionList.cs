namespace QemuUserStatic.Cli;

/// <summary>The values of a list option, given repeated (<c>--tags a --tags b</c>), comma-separated (<c>--tags a,b</c>) or both.</summary>
public static class OptionList
{
    /// <summary>Every item, trimmed, empty ones dropped, in the order given; none for an absent option.</summary>
    public static IReadOnlyList<string> Items(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
