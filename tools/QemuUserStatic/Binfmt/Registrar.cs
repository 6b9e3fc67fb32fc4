using System.IO.Enumeration;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// Registers, replaces and removes entries in a binfmt_misc mount, saying for each what it did: registered,
/// already there (nothing to do), replaced (old and new flags), removed, skipped (the host's own family).
/// The generated <c>/register</c> script (<see cref="RegisterScript"/>) takes the same steps in the same order and
/// prints the same lines: check interpreters, mount, reset, register.
/// </summary>
public sealed class Registrar(RegisterOptions options, TextWriter output, TextWriter errors, string programName)
{
    private readonly BinfmtMisc misc = new(options.Mount);

    /// <summary>The binfmt_misc mount worked on.</summary>
    public BinfmtMisc Misc => misc;

    /// <summary>How many targets or entries failed (each was named on the error output).</summary>
    public int Failures { get; private set; }

    /// <summary>With -p yes the kernel opens every interpreter now: a missing one is an error naming them all.</summary>
    public void CheckInterpreters(IReadOnlyList<TargetArch> targets)
    {
        if (!options.Persistent)
        {
            return;
        }

        var missing = targets.Where(t => !options.IsNative(t))
            .Select(options.InterpreterFor)
            .Distinct()
            .Where(path => !File.Exists(path))
            .ToList();
        if (missing.Count > 0)
        {
            throw new UserException(BinfmtMessages.Fill(BinfmtMessages.MissingInterpreters, ("files", string.Join(", ", missing))));
        }
    }

    /// <summary>Mounts binfmt_misc when only the folder is there, and warns when it is disabled as a whole.</summary>
    public void EnsureMounted()
    {
        if (!misc.FolderExists)
        {
            throw new UserException(BinfmtMessages.Fill(BinfmtMessages.MountFolderMissing, ("mount", misc.Folder)));
        }

        if (!misc.IsMounted)
        {
            Try(misc.Mount, BinfmtAction.Mount);
            Say(BinfmtMessages.Mounted);
        }

        if (!misc.IsEnabled)
        {
            errors.WriteLine($"{programName}: warning: {BinfmtMessages.Fill(BinfmtMessages.GloballyDisabled, ("mount", misc.Folder))}");
        }
    }

    /// <summary>Removes every <c>qemu-*</c> entry (register.sh's --reset), nothing else.</summary>
    public void Reset()
    {
        foreach (var name in misc.EntryNames().Where(n => n.StartsWith("qemu-", StringComparison.Ordinal)))
        {
            Remove(name);
        }
    }

    /// <summary>
    /// Removes the entries named by <paramref name="patterns"/>: target names, aliases or platforms (their
    /// <c>qemu-NAME</c> entry), or entry names with <c>*</c> and <c>?</c>, with or without the <c>qemu-</c> prefix.
    /// </summary>
    public void Uninstall(IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns.SelectMany(p => p.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)))
        {
            var names = ArchitectureTable.Find(pattern) is { } target
                ? misc.EntryNames().Where(n => n == target.EntryName).ToList()
                : misc.EntryNames().Where(n => Matches(pattern, n) || Matches("qemu-" + pattern, n)).ToList();
            if (names.Count == 0)
            {
                Say(BinfmtMessages.NothingToRemove, ("entry", ArchitectureTable.Find(pattern)?.EntryName ?? pattern));
            }

            names.ForEach(Remove);
        }
    }

    /// <summary>Registers each target (in table order) unless it is of the host's family or already there as wanted.</summary>
    public void Register(IReadOnlyList<TargetArch> targets)
    {
        foreach (var target in targets)
        {
            if (options.IsNative(target))
            {
                Say(BinfmtMessages.Skipped, ("entry", target.EntryName), ("host", options.HostArch));
                continue;
            }

            Register(options.EntryFor(target));
        }
    }

    private void Register(BinfmtEntry wanted)
    {
        (string, string)[] values =
        [
            ("entry", wanted.Name), ("interpreter", wanted.Interpreter), ("flags", BinfmtMessages.FlagsShown(wanted.Flags)),
        ];
        var existing = ReadOrNull(wanted.Name);
        if (existing is null)
        {
            if (Try(() => misc.Register(wanted), BinfmtAction.Register, wanted))
            {
                Say(BinfmtMessages.Registered, values);
            }
        }
        else if (existing.Holds(wanted))
        {
            if (existing.Enabled)
            {
                Say(BinfmtMessages.Unchanged, values);
            }
            else if (Try(() => misc.Enable(wanted.Name), BinfmtAction.Enable, wanted))
            {
                Say(BinfmtMessages.Enabled, values);
            }
        }
        else if (Try(() => misc.Remove(wanted.Name), BinfmtAction.Remove, wanted) &&
                 Try(() => misc.Register(wanted), BinfmtAction.Register, wanted))
        {
            Say(BinfmtMessages.Replaced,
            [
                .. values, ("old_flags", BinfmtMessages.FlagsShown(existing.Entry.Flags)),
                ("old_interpreter", existing.Entry.Interpreter),
            ]);
        }
    }

    private void Remove(string name)
    {
        if (Try(() => misc.Remove(name), BinfmtAction.Remove, entry: null, name))
        {
            Say(BinfmtMessages.Removed, ("entry", name));
        }
    }

    // An entry the kernel shows in a form this code cannot read is replaced like any other different entry.
    private KernelEntry? ReadOrNull(string name)
    {
        try
        {
            return misc.Read(name);
        }
        catch (FormatException)
        {
            return new KernelEntry(false, new BinfmtEntry(name, BinfmtEntryType.Extension, 0, [], [], "", BinfmtFlags.None));
        }
    }

    private static bool Matches(string pattern, string name) =>
        FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false);

    // Runs one kernel call; a failure is one sentence on the error output (or, when fatal, the end of the run).
    private bool Try(Action call, BinfmtAction action, BinfmtEntry? entry = null, string? entryName = null)
    {
        try
        {
            call();
            return true;
        }
        catch (BinfmtCallException failure)
        {
            var (message, fatal) = BinfmtMessages.Describe(
                failure, action, misc.Folder, entry?.Name ?? entryName ?? "", entry?.Interpreter ?? "");
            if (fatal)
            {
                throw new UserException(message, ExitCodes.Failure, failure);
            }

            errors.WriteLine($"{programName}: error: {message}");
            Failures++;
            return false;
        }
    }

    private void Say(string template, params (string Name, string Value)[] values) =>
        output.WriteLine(BinfmtMessages.Fill(template, [.. values, ("mount", misc.Folder)]));
}
