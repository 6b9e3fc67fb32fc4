namespace QemuUserStatic.Architectures;

/// <summary>
/// How QEMU names what it installs for a target: the emulator file <c>qemu-ARCH-static</c> and the binfmt_misc entry
/// <c>qemu-NAME</c>. The one definition of the rule; the images' <c>/register</c> script spells it in sh.
/// </summary>
public static class QemuNames
{
    /// <summary>What every emulator file and every binfmt_misc entry of QEMU starts with.</summary>
    public const string Prefix = "qemu-";

    /// <summary>The emulator file name suffix of qemu-user-static packages and of the release files.</summary>
    public const string StaticSuffix = "-static";

    /// <summary>The file name of emulator <paramref name="emulator"/> (its arch part, <c>aarch64</c>): <c>qemu-aarch64-static</c>.</summary>
    public static string EmulatorFileName(string emulator, string suffix = StaticSuffix) => Prefix + emulator + suffix;

    /// <summary>The binfmt_misc entry of target <paramref name="name"/>: <c>qemu-aarch64</c>.</summary>
    public static string EntryName(string name) => Prefix + name;

    /// <summary>True for a binfmt_misc entry named the way QEMU's are (<c>qemu-*</c>), the ones register.sh's --reset removes.</summary>
    public static bool IsQemuEntry(string entryName) => entryName.StartsWith(Prefix, StringComparison.Ordinal);
}
