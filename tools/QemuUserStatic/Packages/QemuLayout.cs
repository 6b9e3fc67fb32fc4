using System.Text.RegularExpressions;
using QemuUserStatic.Architectures;

namespace QemuUserStatic.Packages;

/// <summary>
/// Where QEMU's packages keep what we take, in every layout: the emulators in <c>usr/bin</c>, named
/// <c>qemu-ARCH-static</c> (Fedora, Debian's <c>qemu-user-static</c> before 1:9.0.2+ds-7) or <c>qemu-ARCH</c>
/// (Debian's static <c>qemu-user</c> since then), and the binfmt_misc entries in <c>usr/lib/binfmt.d/*.conf</c>
/// (Fedora, systemd) or <c>usr/share/qemu/binfmt.d/*.conf</c> (Debian's qemu-user). Only regular files are
/// emulators: Debian's alias links (<c>qemu-arm64 -&gt; qemu-aarch64</c>) and <c>-static</c> links resolve to the one
/// real file and never become a second emulator.
/// </summary>
public static partial class QemuLayout
{
    /// <summary>The emulators' folder inside a package.</summary>
    public const string EmulatorFolder = "usr/bin";

    /// <summary>systemd-binfmt's folder inside a package (Fedora's entries, Debian's qemu-user-binfmt links).</summary>
    public const string BinfmtFolder = "usr/lib/binfmt.d";

    /// <summary>Debian's own folder of binfmt entries in qemu-user (since 1:9.0.2+ds-7).</summary>
    public const string DebianBinfmtFolder = "usr/share/qemu/binfmt.d";

    /// <summary>Every folder binfmt entries are taken from, in the order they are read.</summary>
    public static IReadOnlyList<string> BinfmtFolders { get; } = [BinfmtFolder, DebianBinfmtFolder];

    /// <summary>The file-name pattern every emulator matches (more files match it), for listing a folder.</summary>
    public const string EmulatorPattern = QemuNames.Prefix + "*";

    /// <summary>
    /// The emulator's arch part (<c>aarch64</c>) of a file name like <c>qemu-aarch64-static</c>, or of <c>qemu-aarch64</c>
    /// when the architecture table has an emulator of that name (so <c>qemu-img</c> or the alias <c>qemu-arm64</c> are
    /// not emulators); null for any other name.
    /// </summary>
    public static string? EmulatorNameOfFile(string fileName)
    {
        if (StaticFile().Match(fileName) is { Success: true } match)
        {
            return match.Groups[1].Value;
        }

        return PlainFile().Match(fileName) is { Success: true } plain && IsEmulator(plain.Groups[1].Value) ? plain.Groups[1].Value : null;
    }

    /// <summary>The emulator's arch part of a package path <c>usr/bin/qemu-ARCH-static</c> or <c>usr/bin/qemu-ARCH</c>, or null for any other path.</summary>
    public static string? EmulatorName(string path) =>
        EntryPath.Folder(path) == EmulatorFolder ? EmulatorNameOfFile(EntryPath.FileName(path)) : null;

    /// <summary>True for <c>*.conf</c> in one of <see cref="BinfmtFolders"/>.</summary>
    public static bool IsBinfmtConf(string path) =>
        BinfmtFolders.Contains(EntryPath.Folder(path)) && path.EndsWith(".conf", StringComparison.Ordinal);

    /// <summary>
    /// Checks a link (symbolic or hard) at <paramref name="linkPath"/> to <paramref name="targetPath"/> (both package
    /// paths, the target resolved). A link named like an emulator is only allowed as an alias of that same emulator in
    /// the same folder (Debian's <c>qemu-aarch64-static -&gt; qemu-aarch64</c>), which is not a second emulator and is
    /// not published: the emulator is taken from its regular file, or not at all (a transitional package); a link to
    /// another emulator (one binary cannot emulate two CPUs) or to a file that is no emulator is refused with
    /// <see cref="InvalidDataException"/> rather than dropped without a word. Links named otherwise pass.
    /// </summary>
    public static void CheckEmulatorLink(string linkPath, string targetPath)
    {
        if (EmulatorName(linkPath) is not { } name)
        {
            return;
        }

        var target = EmulatorName(targetPath);
        if (target == name)
        {
            return;
        }

        throw new InvalidDataException(target is null
            ? $"{linkPath} is a link to {targetPath}, which is not an emulator: only regular files (or links between the names of one emulator) are taken"
            : $"{linkPath} is a link to {targetPath}, another emulator: one binary cannot be both");
    }

    private static readonly HashSet<string> Emulators = [.. ArchitectureTable.All.Select(t => t.Emulator)];

    private static bool IsEmulator(string name) => Emulators.Contains(name);

    // The arch part is what QEMU names its targets: letters, digits and '_' (aarch64_be, x86_64).
    [GeneratedRegex("^" + QemuNames.Prefix + "([A-Za-z0-9_]+)" + QemuNames.StaticSuffix + "$")]
    private static partial Regex StaticFile();

    [GeneratedRegex("^" + QemuNames.Prefix + "([A-Za-z0-9_]+)$")]
    private static partial Regex PlainFile();
}
