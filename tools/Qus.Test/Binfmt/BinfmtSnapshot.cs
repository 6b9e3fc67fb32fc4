namespace QemuUserStatic.Binfmt;

/// <summary>
/// Every entry of a binfmt_misc table as the kernel shows it (name → text), taken before a run that changes the
/// table, so that afterwards the table can be compared with it and put back exactly (<see cref="RestoreFrom"/>).
/// </summary>
/// <param name="Entries">The text of each entry file, by entry name.</param>
internal sealed record BinfmtSnapshot(IReadOnlyDictionary<string, string> Entries)
{
    /// <summary>Reads every entry of <paramref name="misc"/>; entries removed while reading are left out.</summary>
    public static BinfmtSnapshot Take(BinfmtMisc misc)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in misc.EntryNames())
        {
            try
            {
                entries[name] = File.ReadAllText(misc.EntryFile(name));
            }
            catch (FileNotFoundException)
            {
            }
        }

        return new BinfmtSnapshot(entries);
    }

    /// <summary>The steps that turn the table <paramref name="current"/> shows back into this one.</summary>
    public BinfmtRestore RestoreFrom(BinfmtSnapshot current) => new(
        current.Entries.Where(e => !Holds(e.Key, e.Value)).Select(e => e.Key).ToList(),
        Entries.Where(e => !current.Holds(e.Key, e.Value)).Select(e => KernelEntry.Parse(e.Key, e.Value)).ToList());

    /// <summary>One line per entry that differs in <paramref name="later"/>: <c>+ NAME</c> added, <c>- NAME</c> gone, <c>~ NAME</c> changed.</summary>
    public IReadOnlyList<string> Differences(BinfmtSnapshot later) =>
        Entries.Keys.Union(later.Entries.Keys).Order(StringComparer.Ordinal)
            .Select(name => (Before: Entries.GetValueOrDefault(name), After: later.Entries.GetValueOrDefault(name), Name: name))
            .Where(e => e.Before != e.After)
            .Select(e => e.Before is null ? $"+ {e.Name}" : e.After is null ? $"- {e.Name}" : $"~ {e.Name}")
            .ToList();

    private bool Holds(string name, string text) => Entries.TryGetValue(name, out var mine) && mine == text;
}
