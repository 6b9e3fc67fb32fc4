using System.Text.RegularExpressions;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// Every sentence qus-register and the generated <c>/register</c> script print, in one place so that both say the
/// same words. Templates hold <c>{placeholders}</c>: C# fills them with <see cref="Fill"/>, the script generator turns
/// them into shell variables of the same names.
/// </summary>
public static partial class BinfmtMessages
{
    /// <summary>binfmt_misc was not mounted and now is.</summary>
    public const string Mounted = "mounted binfmt_misc on {mount}";

    /// <summary>A new entry.</summary>
    public const string Registered = "{entry}: registered, interpreter {interpreter}, flags {flags}";

    /// <summary>The entry is there with the same contents.</summary>
    public const string Unchanged = "{entry}: already registered with the same contents, nothing to do";

    /// <summary>The entry was there, the same, but disabled.</summary>
    public const string Enabled = "{entry}: already registered but disabled, enabled it";

    /// <summary>The entry was there with other contents.</summary>
    public const string Replaced = "{entry}: replaced, flags {old_flags} -> {flags}, interpreter {old_interpreter} -> {interpreter}";

    /// <summary>An entry removed (--reset, --uninstall).</summary>
    public const string Removed = "{entry}: removed";

    /// <summary>--uninstall with a name or pattern no entry has.</summary>
    public const string NothingToRemove = "{entry}: not registered, nothing to remove";

    /// <summary>A target of the host's own CPU family: registering it would send every native program to QEMU.</summary>
    public const string Skipped = "{entry}: skipped, this {host} host runs it natively";

    /// <summary>Warning: binfmt_misc is off as a whole.</summary>
    public const string GloballyDisabled =
        "binfmt_misc is disabled ({mount}/status): nothing is emulated until: echo 1 > {mount}/status";

    /// <summary>-p yes with interpreters that are not there (the :register image case).</summary>
    public const string MissingInterpreters =
        "-p yes opens the interpreters now, and these are missing: {files}; install them, give their folder with " +
        "--qemu-path, or run without -p yes (the :register image has no emulators of its own)";

    /// <summary>The mount folder does not exist.</summary>
    public const string MountFolderMissing =
        "{mount}: no such folder: is binfmt_misc in this kernel (modprobe binfmt_misc)? Or give its folder with --mount";

    /// <summary>--mount on a folder that is not binfmt_misc but holds a register file: writing it would register nothing.</summary>
    public const string NotBinfmtMisc =
        "{mount}: not a binfmt_misc file system, yet it holds a file named register; give the folder binfmt_misc is " +
        "mounted on with --mount, or an empty folder to mount it on";

    /// <summary>Another run held the table's lock for too long.</summary>
    public const string LockTimeout =
        "{mount}: another run has held the lock on it (flock) for a minute; run again when it has finished";

    /// <summary>An entry name that could not be printed as it is, refused before registering.</summary>
    public const string UnsafeEntryName =
        "refusing to register an entry named '{entry}': only letters, digits and . _ + - (at most 64) make a name";

    /// <summary>A yes/no option with another value.</summary>
    public const string NotYesNo = "{option}: expected yes or no, got '{value}'";

    /// <summary>A relative --qemu-path: the kernel resolves interpreters from /, not from here.</summary>
    public const string RelativeQemuPath = "--qemu-path: '{value}' is not an absolute path, and the kernel needs one";

    /// <summary>An interpreter path the ':'-separated register line cannot carry.</summary>
    public const string BadInterpreterPath =
        "--qemu-path and --qemu-suffix cannot contain ':' or a line break: the register line separates its fields with ':'";

    /// <summary>The fallback per action when an errno has no sentence of its own.</summary>
    private static readonly Dictionary<BinfmtAction, string> Fallback = new()
    {
        [BinfmtAction.Mount] = "cannot mount binfmt_misc on {mount}: {reason}",
        [BinfmtAction.Register] = "{entry}: cannot register: {reason}",
        [BinfmtAction.Remove] = "{entry}: cannot remove: {reason}",
        [BinfmtAction.Enable] = "{entry}: cannot enable: {reason}",
    };

    /// <summary>
    /// The sentence for each (action, stage, errno): the first rule that fits wins. A null stage fits both.
    /// Placeholders: entry, interpreter, mount, file (the file written), reason (the C library's text).
    /// </summary>
    public static IReadOnlyList<ErrnoRule> Rules { get; } =
    [
        new(BinfmtAction.Mount, null, [Errno.EPERM, Errno.EACCES],
            "cannot mount binfmt_misc on {mount}: permission denied; run as root, and run a container with --privileged", Fatal: true),
        new(BinfmtAction.Mount, null, [Errno.ENODEV],
            "cannot mount binfmt_misc on {mount}: this kernel has no binfmt_misc; load it with: modprobe binfmt_misc", Fatal: true),
        new(BinfmtAction.Mount, null, [Errno.ENOENT], MountFolderMissing, Fatal: true),
        new(null, WriteStage.Open, [Errno.EPERM, Errno.EACCES],
            "{file}: permission denied; changing binfmt_misc needs root: run with sudo, or run the container with --privileged", Fatal: true),
        new(null, WriteStage.Open, [Errno.EROFS],
            "{file}: read-only file system; a container sees /proc/sys read-only: run it with --privileged", Fatal: true),
        new(BinfmtAction.Register, WriteStage.Open, [Errno.ENOENT],
            "{file}: no such file: is binfmt_misc mounted? Mount it with: mount -t binfmt_misc binfmt_misc {mount}", Fatal: true),
        new(BinfmtAction.Register, WriteStage.Write, [Errno.EEXIST],
            "{entry}: the kernel already has an entry of that name (registered meanwhile by another tool); run again, or remove it first with --reset"),
        new(BinfmtAction.Register, WriteStage.Write, [Errno.EINVAL],
            "{entry}: the kernel refused the entry as invalid; the interpreter {interpreter} must be an absolute path and " +
            "the whole line under 1920 bytes: check --qemu-path and --qemu-suffix"),
        new(BinfmtAction.Register, WriteStage.Write, [Errno.ENOENT],
            "{entry}: interpreter {interpreter} not found; with -p yes the kernel opens it now: install it there, or give its folder with --qemu-path"),
        new(BinfmtAction.Register, WriteStage.Write, [Errno.EACCES, Errno.EPERM],
            "{entry}: interpreter {interpreter} cannot be executed (permission denied); make it executable (chmod 755) on a file system not mounted noexec"),
        new(BinfmtAction.Register, WriteStage.Write, [Errno.ENOEXEC],
            "{entry}: interpreter {interpreter} is not a program this host can run (exec format error); use the emulators built for this host"),
        new(BinfmtAction.Remove, null, [Errno.ENOENT], "{entry}: cannot remove: it was removed meanwhile"),
        new(BinfmtAction.Enable, null, [Errno.ENOENT], "{entry}: cannot enable: it was removed meanwhile"),
    ];

    /// <summary>The fallback template for <paramref name="action"/> (placeholder {reason}); mount failures are fatal.</summary>
    public static ErrnoRule FallbackFor(BinfmtAction action) =>
        new(action, null, [], Fallback[action], Fatal: action == BinfmtAction.Mount);

    /// <summary>The rule for a failed call: the first that fits, or the action's fallback.</summary>
    public static ErrnoRule RuleFor(BinfmtAction action, WriteStage stage, Errno errno) =>
        Rules.FirstOrDefault(r => r.Fits(action, stage, errno)) ?? FallbackFor(action);

    /// <summary>The sentence for a failed call, with every placeholder filled, and whether to stop.</summary>
    public static (string Message, bool Fatal) Describe(
        BinfmtCallException failure, BinfmtAction action, string mount, string entry = "", string interpreter = "")
    {
        var rule = RuleFor(action, failure.Stage, failure.Errno);
        var message = Fill(rule.Template,
            ("entry", entry), ("interpreter", interpreter), ("mount", mount), ("file", failure.Path), ("reason", failure.Reason));
        return (message, rule.Fatal);
    }

    /// <summary>How flags read in messages: their letters, or <c>none</c>.</summary>
    public static string FlagsShown(BinfmtFlags flags) => flags == BinfmtFlags.None ? "none" : flags.ToLetters();

    /// <summary>Replaces each <c>{name}</c> in <paramref name="template"/> by its value.</summary>
    public static string Fill(string template, params (string Name, string Value)[] values)
    {
        var lookup = values.ToDictionary(v => v.Name, v => v.Value);
        return Placeholder().Replace(template, m => lookup.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }

    /// <summary>The placeholder names a template uses, in order.</summary>
    public static IEnumerable<string> PlaceholdersOf(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
