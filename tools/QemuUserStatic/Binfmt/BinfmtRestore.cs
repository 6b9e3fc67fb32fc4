using QemuUserStatic.Common;

namespace QemuUserStatic.Binfmt;

/// <summary>What puts a binfmt_misc table back as a snapshot had it: entries to remove, then entries to register.</summary>
/// <param name="Remove">Entries that were not there, or not like this.</param>
/// <param name="Register">Entries that were there and are gone or changed (registered again, disabled again if they were).</param>
public sealed record BinfmtRestore(IReadOnlyList<string> Remove, IReadOnlyList<KernelEntry> Register)
{
    /// <summary>True when the table is already as it was.</summary>
    public bool IsEmpty => Remove.Count == 0 && Register.Count == 0;

    /// <summary>Applies the steps with writes to <paramref name="misc"/>; returns a sentence for each step that failed.</summary>
    public IReadOnlyList<string> ApplyTo(BinfmtMisc misc)
    {
        var failures = new List<string>();
        foreach (var name in Remove)
        {
            Try(() => misc.Remove(name), BinfmtAction.Remove, name, "");
        }

        foreach (var entry in Register)
        {
            if (Try(() => misc.Register(entry.Entry), BinfmtAction.Register, entry.Name, entry.Entry.Interpreter) && !entry.Enabled)
            {
                Try(() => misc.Disable(entry.Name), BinfmtAction.Enable, entry.Name, "");
            }
        }

        return failures;

        bool Try(Action call, BinfmtAction action, string name, string interpreter)
        {
            try
            {
                call();
                return true;
            }
            catch (BinfmtCallException failure)
            {
                failures.Add(BinfmtMessages.Describe(failure, action, misc.Folder, name, interpreter).Message);
                return false;
            }
        }
    }

    /// <summary>
    /// The same steps as a POSIX sh script for a binfmt_misc mounted at <paramref name="mount"/> (to run where this
    /// process cannot write the table, e.g. in a privileged container); it exits non-zero when a step fails.
    /// </summary>
    public string ToScript(string mount)
    {
        var lines = new List<string> { "status=0" };
        lines.AddRange(Remove.Select(name => $"echo -1 > {ExternalCommand.ShellWord($"{mount}/{name}")} || status=1"));
        foreach (var entry in Register)
        {
            lines.Add($"printf '%s' {ExternalCommand.ShellWord(entry.Entry.ToRegisterLine())} > {ExternalCommand.ShellWord($"{mount}/register")} || status=1");
            if (!entry.Enabled)
            {
                lines.Add($"echo 0 > {ExternalCommand.ShellWord($"{mount}/{entry.Name}")} || status=1");
            }
        }

        lines.Add("exit $status");
        return string.Join('\n', lines) + "\n";
    }
}
