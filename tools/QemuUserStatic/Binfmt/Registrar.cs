using System.IO.Enumeration;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// Registers, replaces and removes entries in a binfmt_misc mount, saying for each what it did: registered,
/// already there (nothing to do), replaced (old and new flags), removed, skipped (the host's own family).
/// The generated <c>/register</c> script (<see cref="RegisterScript"/>) takes the same steps in the same order and
/// prints the same lines: check interpreters, mount, lock, reset, register. Every line is printed through
/// <see cref="PrintableText"/>: entry names and interpreters come from the kernel, where any program may have put them.
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
            throw new UserException(Shown(BinfmtMessages.MissingInterpreters, ("files", string.Join(", ", missing))));
        }
    }

    /// <summary>
    /// Mounts binfmt_misc when the folder is not binfmt_misc and holds no <c>register</c> file, refuses a folder that
    /// is not binfmt_misc yet holds one (a plain folder: writing there would register nothing), and warns when
    /// binfmt_misc is disabled as a whole.
    /// </summary>
    public void EnsureMounted()
    {
        if (!misc.FolderExists)
        {
            throw new UserException(Shown(BinfmtMessages.MountFolderMissing));
        }

        if (!misc.IsMounted)
        {
            if (misc.HasRegisterFile)
            {
                throw new UserException(Shown(BinfmtMessages.NotBinfmtMisc));
            }

            Try(misc.Mount, BinfmtAction.Mount);
            Say(BinfmtMessages.Mounted);
        }

        if (!misc.IsEnabled)
        {
            errors.WriteLine($"{programName}: warning: {Shown(BinfmtMessages.GloballyDisabled)}");
        }
    }

    /// <summary>Removes every entry this tool owns (<c>qemu-*</c>, register.sh's --reset), nothing else.</summary>
    public void Reset() => misc.EntryNames().Where(QemuNames.IsQemuEntry).ToList().ForEach(Remove);

    /// <summary>
    /// Removes the entries named by <paramref name="patterns"/>: target names, aliases or platforms (their
    /// <c>qemu-NAME</c> entry); an exact entry name, with or without the <c>qemu-</c> prefix (any entry: the user named
    /// it); or a pattern with <c>*</c> and <c>?</c>, which matches only the entries <see cref="Reset"/> would remove.
    /// </summary>
    public void Uninstall(IEnumerable<string> patterns)
    {
        foreach (var pattern in OptionList.Items(patterns))
        {
            var entries = misc.EntryNames();
            var names = ArchitectureTable.Find(pattern) is { } target
                ? entries.Where(n => n == target.EntryName).ToList()
                : pattern.AsSpan().IndexOfAny('*', '?') >= 0
                    ? entries.Where(QemuNames.IsQemuEntry).Where(n => Matches(pattern, n) || Matches(QemuNames.EntryName(pattern), n)).ToList()
                    : entries.Where(n => n == pattern || n == QemuNames.EntryName(pattern)).ToList();
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
            if (options.NativeHostOf(target) is { } host)
            {
                Say(BinfmtMessages.Skipped, ("entry", target.EntryName), ("host", host));
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
        else if (Try(() => misc.Remove(wanted.Name), BinfmtAction.Remove, wanted, done: Errno.ENOENT) &&
                 Try(() => misc.Register(wanted), BinfmtAction.Register, wanted))
        {
            Say(BinfmtMessages.Replaced,
            [
                .. values, ("old_flags", BinfmtMessages.FlagsShown(existing.Entry.Flags)),
                ("old_interpreter", existing.Entry.Interpreter),
            ]);
        }
    }

    // An entry gone when it is written to (removed by another program meanwhile) is as removed as asked.
    private void Remove(string name)
    {
        if (Try(() => misc.Remove(name), BinfmtAction.Remove, entry: null, name, done: Errno.ENOENT))
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
    // The errno `done` means the call's end state is already there.
    private bool Try(Action call, BinfmtAction action, BinfmtEntry? entry = null, string? entryName = null, Errno done = Errno.None)
    {
        try
        {
            call();
            return true;
        }
        catch (BinfmtCallException failure) when (done != Errno.None && failure.Errno == done)
        {
            return true;
        }
        catch (BinfmtCallException failure)
        {
            var (message, fatal) = BinfmtMessages.Describe(
                failure, action, misc.Folder, entry?.Name ?? entryName ?? "", entry?.Interpreter ?? "");
            if (fatal)
            {
                throw new UserException(PrintableText.Escape(message), ExitCodes.Failure, failure);
            }

            errors.WriteLine($"{programName}: error: {PrintableText.Escape(message)}");
            Failures++;
            return false;
        }
    }

    private void Say(string template, params (string Name, string Value)[] values) => output.WriteLine(Shown(template, values));

    // A sentence with its placeholders filled, as it may be printed.
    private string Shown(string template, params (string Name, string Value)[] values) =>
        PrintableText.Escape(BinfmtMessages.Fill(template, [.. values, ("mount", misc.Folder)]));
}
