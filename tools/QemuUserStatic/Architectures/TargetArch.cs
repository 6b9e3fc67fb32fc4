using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Architectures;

/// <summary>
/// One linux-user target of qemu-user-static: the ELF header it claims through binfmt_misc, the emulator
/// that runs it, and the names people use for it.
/// </summary>
/// <param name="Name">QEMU's target name, which is also the binfmt_misc entry suffix (qemu-<c>Name</c>).</param>
/// <param name="Emulator">The emulator's arch part (qemu-<c>Emulator</c>-static); differs only for i486.</param>
/// <param name="Family">CPU family as qemu-binfmt-conf.sh groups them: a host never registers its own family.</param>
/// <param name="Magic">binfmt_misc magic: the ELF header bytes to match.</param>
/// <param name="Mask">binfmt_misc mask applied to the file before comparing with <paramref name="Magic"/>.</param>
/// <param name="Platforms">OCI platforms whose images this target runs, the main one first.</param>
/// <param name="Aliases">Other names for the target (Debian, Docker, uname spellings).</param>
public sealed record TargetArch(
    string Name,
    string Emulator,
    string Family,
    byte[] Magic,
    byte[] Mask,
    IReadOnlyList<OciPlatform> Platforms,
    IReadOnlyList<string> Aliases)
{
    /// <summary>The binfmt_misc entry name, <c>qemu-aarch64</c>.</summary>
    public string EntryName => $"qemu-{Name}";

    /// <summary>The emulator file name with a suffix, <c>qemu-aarch64-static</c> by default.</summary>
    public string EmulatorFileName(string suffix = "-static") => $"qemu-{Emulator}{suffix}";

    /// <summary>The main OCI platform, or null where no image platform exists for the target.</summary>
    public OciPlatform? Platform => Platforms.Count > 0 ? Platforms[0] : null;

    /// <summary>ELF class byte: 1 for 32-bit, 2 for 64-bit.</summary>
    public int ElfClass => Magic[4];

    /// <summary>True for big-endian targets (EI_DATA = ELFDATA2MSB).</summary>
    public bool IsBigEndian => Magic[5] == 2;

    /// <summary>ELF e_machine the magic matches.</summary>
    public int ElfMachine => IsBigEndian ? (Magic[18] << 8) | Magic[19] : Magic[18] | (Magic[19] << 8);

    /// <summary>True when an ELF file starting with <paramref name="header"/> is a program of this target, as binfmt_misc decides it.</summary>
    public bool MatchesElfHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < Magic.Length)
        {
            return false;
        }

        for (var i = 0; i < Magic.Length; i++)
        {
            if ((header[i] & Mask[i]) != (Magic[i] & Mask[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The binfmt_misc entry registering this target with the given interpreter and flags.</summary>
    public BinfmtEntry ToBinfmtEntry(string interpreter, BinfmtFlags flags) =>
        new(EntryName, BinfmtEntryType.Magic, 0, Magic, Mask, interpreter, flags);

    /// <summary>True when <paramref name="name"/> is this target's name or one of its aliases (any case).</summary>
    public bool IsCalled(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) ||
        Aliases.Any(alias => string.Equals(alias, name, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() => Name;
}
