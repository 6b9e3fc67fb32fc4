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
/// <param name="Aliases">Other names for the target (Docker, uname, .NET spellings) besides the Debian and RPM names.</param>
/// <param name="DebianArch">Debian's architecture name (dpkg), for the hosts Debian builds qemu-user-static for; else null.</param>
/// <param name="RpmArch">Fedora's RPM architecture name, for the hosts Fedora builds qemu-user-static for; else null.</param>
/// <param name="Machine">
/// What uname(2) says under QEMU's linux-user emulator of the target (<c>uname -m</c>: hppa → parisc, mips64el → mips64),
/// for the targets a guest program checks it on (<see cref="Guests.GuestTable"/>); else null.
/// </param>
public sealed record TargetArch(
    string Name,
    string Emulator,
    string Family,
    byte[] Magic,
    byte[] Mask,
    IReadOnlyList<OciPlatform> Platforms,
    IReadOnlyList<string> Aliases,
    string? DebianArch,
    string? RpmArch,
    string? Machine)
{
    /// <summary>The binfmt_misc entry name, <c>qemu-aarch64</c>.</summary>
    public string EntryName => QemuNames.EntryName(Name);

    /// <summary>The emulator file name with a suffix, <c>qemu-aarch64-static</c> by default.</summary>
    public string EmulatorFileName(string suffix = QemuNames.StaticSuffix) => QemuNames.EmulatorFileName(Emulator, suffix);

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

    /// <summary>Every name of the target: its own, its Debian and RPM names (where they differ), then its aliases.</summary>
    public IEnumerable<string> Names =>
        new[] { Name, DebianArch, RpmArch }.OfType<string>().Concat(Aliases).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is one of the target's <see cref="Names"/> (any case).</summary>
    public bool IsCalled(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => Name;
}
