namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The machine's own binfmt_misc table, read directly (not through the code under test), for tests that must use it
/// (Docker end-to-end) and check they leave it exactly as they found it.
/// </summary>
public static class MachineBinfmt
{
    /// <summary>Where it is mounted (tests/prepare-machine mounts it).</summary>
    public const string Folder = "/proc/sys/fs/binfmt_misc";

    /// <summary>Every file but register, by name, with its contents: the entries and the global status.</summary>
    public static SortedDictionary<string, string> Snapshot() =>
        new(Directory.GetFiles(Folder).Where(f => Path.GetFileName(f) != "register")
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText), StringComparer.Ordinal);

    /// <summary>Registers a line as the kernel reads it (the test removes it again with <see cref="Remove"/>).</summary>
    public static void Register(string line) => File.WriteAllText(Path.Combine(Folder, "register"), line);

    /// <summary>Removes an entry if it is there.</summary>
    public static void Remove(string name)
    {
        var path = Path.Combine(Folder, name);
        if (File.Exists(path))
        {
            File.WriteAllText(path, "-1");
        }
    }
}
