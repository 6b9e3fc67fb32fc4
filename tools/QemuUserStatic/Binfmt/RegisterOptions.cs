using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// What to register and how, in the words of register.sh and qemu-binfmt-conf.sh: targets, <c>--reset</c>,
/// <c>-p</c> (F), <c>-c</c> (OC), <c>--preserve-argv0</c> (P), <c>--qemu-path</c>, <c>--qemu-suffix</c>, the mount folder.
/// </summary>
public sealed record RegisterOptions
{
    /// <summary>The folder register.sh takes emulators from when <c>QEMU_BIN_DIR</c> is not set.</summary>
    public const string DefaultQemuPath = "/usr/bin";

    /// <summary>The emulator file name suffix of qemu-user-static packages.</summary>
    public const string DefaultQemuSuffix = QemuNames.StaticSuffix;

    /// <summary>Targets as typed: names, aliases, OCI platforms, <c>all</c>, as an <see cref="OptionList"/>. Empty: all.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Remove every <c>qemu-*</c> entry first.</summary>
    public bool Reset { get; init; }

    /// <summary>Flag F: the kernel opens the interpreter now, so it works in every container and chroot.</summary>
    public bool Persistent { get; init; }

    /// <summary>Flags OC: setuid programs (sudo) keep their credentials under emulation.</summary>
    public bool Credential { get; init; }

    /// <summary>Flag P: the program's argv[0] reaches it unchanged.</summary>
    public bool PreserveArgv0 { get; init; }

    /// <summary>The folder holding the emulators, absolute.</summary>
    public string QemuPath { get; init; } = DefaultQemuPath;

    /// <summary>The emulator file name suffix (<c>qemu-aarch64</c> + suffix).</summary>
    public string QemuSuffix { get; init; } = DefaultQemuSuffix;

    /// <summary>Where binfmt_misc is (or gets) mounted.</summary>
    public string Mount { get; init; } = BinfmtMisc.DefaultFolder;

    /// <summary>The architecture the kernel reports (uname(2)); its CPU family is never registered.</summary>
    public string KernelArch { get; init; } = ArchitectureTable.KernelArch;

    /// <summary>
    /// The host architecture (QEMU's name): the kernel's, or a known one <c>HOST_ARCH</c> names. Its family is not
    /// registered either: the override can only add a family to skip, never make the kernel's own registrable.
    /// </summary>
    public string HostArch { get; init; } = ArchitectureTable.HostArch;

    /// <summary>The entry flags these options ask for.</summary>
    public BinfmtFlags Flags =>
        (PreserveArgv0 ? BinfmtFlags.PreserveArgv0 : 0) |
        (Credential ? BinfmtFlags.OpenBinary | BinfmtFlags.Credentials : 0) |
        (Persistent ? BinfmtFlags.FixBinary : 0);

    /// <summary>The emulator path for <paramref name="target"/>.</summary>
    public string InterpreterFor(TargetArch target) => $"{QemuPath.TrimEnd('/')}/{target.EmulatorFileName(QemuSuffix)}";

    /// <summary>The entry to register for <paramref name="target"/>.</summary>
    public BinfmtEntry EntryFor(TargetArch target) => target.ToBinfmtEntry(InterpreterFor(target), Flags);

    /// <summary>
    /// The targets asked for, in table order, each once; an unknown name is a usage error listing the known ones.
    /// </summary>
    public IReadOnlyList<TargetArch> SelectedTargets()
    {
        var words = OptionList.Items(Targets);
        if (words.Count == 0 || words.Any(w => w.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var word in words.Where(w => !w.Equals("all", StringComparison.OrdinalIgnoreCase)))
            {
                Resolve(word);
            }

            return ArchitectureTable.All;
        }

        var chosen = words.Select(Resolve).ToHashSet();
        return ArchitectureTable.All.Where(chosen.Contains).ToList();
    }

    /// <summary>The emulator file names the selected foreign targets need, each once (i386 and i486 share one).</summary>
    public IEnumerable<string> EmulatorFileNames() =>
        SelectedTargets().Where(t => !IsNative(t)).Select(t => t.EmulatorFileName(QemuSuffix)).Distinct();

    /// <summary>True for a target of the host's own CPU family, which runs natively and must not be registered.</summary>
    public bool IsNative(TargetArch target) => NativeHostOf(target) is not null;

    /// <summary>The host (the kernel's architecture first, then <see cref="HostArch"/>) that runs <paramref name="target"/> natively, or null.</summary>
    public string? NativeHostOf(TargetArch target) =>
        target.Family == ArchitectureTable.FamilyOf(KernelArch) ? KernelArch
        : target.Family == ArchitectureTable.FamilyOf(HostArch) ? HostArch
        : null;

    /// <summary>Checks the paths; a problem is a usage error (exit 2).</summary>
    public void Validate()
    {
        if (!QemuPath.StartsWith('/'))
        {
            throw Usage(BinfmtMessages.Fill(BinfmtMessages.RelativeQemuPath, ("value", PrintableText.Escape(QemuPath))));
        }

        if ((QemuPath + QemuSuffix).IndexOfAny([':', '\n', '\r']) >= 0)
        {
            throw Usage(BinfmtMessages.BadInterpreterPath);
        }
    }

    /// <summary>Reads a yes/no option value the way qemu-binfmt-conf.sh users write it (yes, no; true, false too).</summary>
    public static bool ParseYesNo(string option, string value) => value.ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" => false,
        _ => throw Usage(BinfmtMessages.Fill(BinfmtMessages.NotYesNo, ("option", option), ("value", PrintableText.Escape(value)))),
    };

    private static TargetArch Resolve(string word) =>
        ArchitectureTable.Find(word) ?? throw Usage(ArchitectureTable.UnknownNameMessage(PrintableText.Escape(word)));

    private static UserException Usage(string message) => new(message, ExitCodes.Usage);
}
