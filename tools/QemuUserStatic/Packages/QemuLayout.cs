using System.Text.RegularExpressions;

namespace QemuUserStatic.Packages;

/// <summary>
/// Where qemu-user-static packages (Fedora's and Debian's alike) keep what we take: the emulators
/// <c>usr/bin/qemu-ARCH-static</c> and the binfmt_misc entries <c>usr/lib/binfmt.d/*.conf</c>.
/// </summary>
public static partial class QemuLayout
{
    /// <summary>The emulators' folder inside a package.</summary>
    public const string EmulatorFolder = "usr/bin";

    /// <summary>systemd-binfmt's folder inside a package.</summary>
    public const string BinfmtFolder = "usr/lib/binfmt.d";

    /// <summary>The emulator's arch part (<c>aarch64</c>) of a file name like <c>qemu-aarch64-static</c>, or null.</summary>
    public static string? EmulatorNameOfFile(string fileName) =>
        EmulatorFile().Match(fileName) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The emulator's arch part of a package path <c>usr/bin/qemu-ARCH-static</c>, or null for any other path.</summary>
    public static string? EmulatorName(string path) =>
        EntryPath.Folder(path) == EmulatorFolder ? EmulatorNameOfFile(EntryPath.FileName(path)) : null;

    /// <summary>The file name of an emulator: <c>qemu-aarch64-static</c>.</summary>
    public static string EmulatorFileName(string name) => $"qemu-{name}-static";

    /// <summary>True for <c>usr/lib/binfmt.d/*.conf</c>.</summary>
    public static bool IsBinfmtConf(string path) =>
        EntryPath.Folder(path) == BinfmtFolder && path.EndsWith(".conf", StringComparison.Ordinal);

    // The arch part is what QEMU names its targets: letters, digits and '_' (aarch64_be, x86_64).
    [GeneratedRegex("^qemu-([A-Za-z0-9_]+)-static$")]
    private static partial Regex EmulatorFile();
}
