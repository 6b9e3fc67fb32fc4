using System.Runtime.InteropServices;

namespace QemuUserStatic.Common;

/// <summary>
/// A process and its descendants as /proc shows them now, and signals to them: a program such as
/// <c>dotnet tool run</c> runs the real work in a child of its own and does not pass every signal on (SIGINT it
/// ignores), so a stop meant for a command reaches every process of its tree, as a terminal's Ctrl-C reaches its
/// foreground group.
/// </summary>
internal static partial class ProcessTree
{
    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary><paramref name="pid"/> and every live process descended from it, parents before children.</summary>
    public static IReadOnlyList<int> Of(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var (id, parent) in Processes())
        {
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(id);
        }

        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children.GetValueOrDefault(tree[i]) ?? []);
        }

        return tree;
    }

    /// <summary>True while <paramref name="pid"/> is a process that has not ended (a zombie has).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' };

    /// <summary>Sends <paramref name="signal"/> to each of <paramref name="pids"/>; one that has ended meanwhile is passed over.</summary>
    public static void Signal(IEnumerable<int> pids, int signal)
    {
        foreach (var pid in pids)
        {
            _ = SendSignal(pid, signal);
        }
    }

    private static IEnumerable<(int Pid, int Parent)> Processes()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Stat(pid) is { } stat)
            {
                yield return (pid, stat.Parent);
            }
        }
    }

    private static (int Parent, char State)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // ended meanwhile
        }

        // "PID (NAME) STATE PPID ...": the name may hold blanks and parentheses, so the fields are read past its last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ', 3);
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? (parent, fields[0][0]) : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
