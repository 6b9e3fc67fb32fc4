namespace QemuUserStatic.Architectures;

/// <summary>
/// The one table of qemu-user-static targets, used by every tool and every test: every per-architecture fact (ELF
/// magic and mask, CPU family, emulator, OCI platforms, Debian and RPM names, aliases, QEMU's uname machine) is a
/// column of its rows, and every lookup is a method over them. Adding a CPU is one row here.
/// </summary>
/// <remarks>
/// Magic and mask come from Debian's /usr/share/binfmts/qemu-* files where Debian has the target (they are
/// stricter than QEMU's qemu-binfmt-conf.sh: MIPS o32 and n32 are told apart by e_flags, OS/ABI bytes are
/// checked), and from QEMU's qemu-binfmt-conf.sh otherwise (i386, i486, x86_64, aarch64_be, microblazeel,
/// or1k). nios2 is in neither; its row follows the same shape with e_machine EM_ALTERA_NIOS2 (113).
/// Families follow qemu-binfmt-conf.sh. Hex strings are written the way /proc/sys/fs/binfmt_misc prints them.
/// Debian and RPM names are given only for the hosts Debian and Fedora build qemu-user-static for (the fetch step
/// asks them for those), the machine only where a guest program checks it.
/// </remarks>
public static partial class ArchitectureTable
{
    // Masks shared by many rows: little- and big-endian ELF executables, any OS/ABI byte ...
    private const string LeMask = "ffffffffffffff00fffffffffffffffffeffffff";
    private const string BeMask = "ffffffffffffff00fffffffffffffffffffeffff";
    // ... or OS/ABI limited to 0-3 (Debian's choice for ppc, s390x, sh4, sparc).
    private const string LeMaskAbi = "fffffffffffffffcfffffffffffffffffeffffff";
    private const string BeMaskAbi = "fffffffffffffffcfffffffffffffffffffeffff";
    private const string X86Mask = "fffffffffffefe00fffffffffffffffffeffffff";
    // MIPS: e_ident[8] (ABI version) 0 or 1, and the n32 flag EF_MIPS_ABI2 (0x20 in e_flags) tested.
    private const string MipsLeMask = "ffffffffffffff00fefffffffffffffffeffffff" + "00000000000000000000000000000000" + "20";
    private const string MipsBeMask = "ffffffffffffff00fefffffffffffffffffeffff" + "00000000000000000000000000000000000000" + "20";

    /// <summary>Every target, sorted by name.</summary>
    public static IReadOnlyList<TargetArch> All { get; } =
    [
        Row("aarch64", "arm", "7f454c460201010000000000000000000200b700", LeMask, ["linux/arm64/v8"], ["armv8", "arm64v8"], debian: "arm64", rpm: "aarch64", machine: "aarch64"),
        Row("aarch64_be", "armeb", "7f454c46020201000000000000000000000200b7", BeMask, [], ["arm64be", "aarch64be"]),
        Row("alpha", "alpha", "7f454c4602010100000000000000000002002690", LeMask, [], [], machine: "alpha"),
        Row("arm", "arm", "7f454c4601010100000000000000000002002800", LeMask, ["linux/arm/v7", "linux/arm/v6", "linux/arm/v5"], ["armel", "armv7", "armv7l", "armv6", "armv6l", "armv8l", "armv5tel", "arm32v7", "arm32v6", "arm32v5"], debian: "armhf", rpm: "armv7hl", machine: "armv7l"),
        Row("armeb", "armeb", "7f454c4601020100000000000000000000020028", BeMask, [], []),
        Row("cris", "cris", "7f454c4601010100000000000000000002004c00", LeMask, [], []),
        Row("hexagon", "hexagon", "7f454c460101010000000000000000000200a400", LeMask, [], []),
        Row("hppa", "hppa", "7f454c460102010000000000000000000002000f", BeMask, [], ["parisc", "hppa32"], machine: "parisc"),
        Row("i386", "i386", "7f454c4601010100000000000000000002000300", X86Mask, ["linux/386"], ["386", "i586", "x86", "x86_32"], debian: "i386", rpm: "i686", machine: "i686"),
        Row("i486", "i386", "7f454c4601010100000000000000000002000600", X86Mask, [], [], emulator: "i386"),
        Row("loongarch64", "loongarch", "7f454c4602010100000000000000000002000201", "fffffffffffffffc00fffffffffffffffeffffff", ["linux/loong64"], ["la64"], debian: "loong64", machine: "loongarch64"),
        Row("m68k", "m68k", "7f454c4601020100000000000000000000020004", BeMask, [], [], machine: "m68k"),
        Row("microblaze", "microblaze", "7f454c460102010000000000000000000002baab", BeMask, [], []),
        Row("microblazeel", "microblazeel", "7f454c460101010000000000000000000200abba", LeMask, [], []),
        Row("mips", "mips", "7f454c4601020100000000000000000000020008" + Zeros(20), MipsBeMask, [], ["mipsbe", "mips32"], machine: "mips"),
        Row("mips64", "mips", "7f454c4602020100000000000000000000020008", "ffffffffffffff00fefffffffffffffffffeffff", [], ["mips64be"], machine: "mips64"),
        Row("mips64el", "mips", "7f454c4602010100000000000000000002000800", "ffffffffffffff00fefffffffffffffffeffffff", ["linux/mips64le"], ["mips64le"], debian: "mips64el", machine: "mips64"),
        Row("mipsel", "mips", "7f454c4601010100000000000000000002000800" + Zeros(17), MipsLeMask, [], ["mipsle", "mips32el"], debian: "mipsel", machine: "mips"),
        Row("mipsn32", "mips", "7f454c4601020100000000000000000000020008" + Zeros(19) + "20", MipsBeMask, [], [], machine: "mips64"),
        Row("mipsn32el", "mips", "7f454c4601010100000000000000000002000800" + Zeros(16) + "20", MipsLeMask, [], [], machine: "mips64"),
        Row("nios2", "nios2", "7f454c4601010100000000000000000002007100", LeMask, [], []),
        Row("or1k", "or1k", "7f454c460102010000000000000000000002005c", BeMask, [], ["openrisc"]),
        Row("ppc", "ppc", "7f454c4601020100000000000000000000020014", BeMaskAbi, [], ["powerpc", "ppc32"], machine: "ppc"),
        Row("ppc64", "ppc", "7f454c4602020100000000000000000000020015", BeMaskAbi, [], ["powerpc64", "ppc64be"], machine: "ppc64"),
        Row("ppc64le", "ppcle", "7f454c4602010100000000000000000002001500", "fffffffffffffffcfffffffffffffffffeffff00", ["linux/ppc64le"], ["powerpc64le"], debian: "ppc64el", rpm: "ppc64le", machine: "ppc64le"),
        Row("riscv32", "riscv", "7f454c460101010000000000000000000200f300", LeMask, [], []),
        Row("riscv64", "riscv", "7f454c460201010000000000000000000200f300", LeMask, ["linux/riscv64"], [], debian: "riscv64", rpm: "riscv64", machine: "riscv64"),
        Row("s390x", "s390x", "7f454c4602020100000000000000000000020016", BeMaskAbi, ["linux/s390x"], [], debian: "s390x", rpm: "s390x", machine: "s390x"),
        Row("sh4", "sh4", "7f454c4601010100000000000000000002002a00", LeMaskAbi, [], ["sh"], machine: "sh4"),
        Row("sh4eb", "sh4", "7f454c460102010000000000000000000002002a", BeMaskAbi, [], []),
        Row("sparc", "sparc", "7f454c4601020100000000000000000000020002", BeMaskAbi, [], []),
        Row("sparc32plus", "sparc", "7f454c4601020100000000000000000000020012", BeMaskAbi, [], [], machine: "sparc64"),
        Row("sparc64", "sparc", "7f454c460202010000000000000000000002002b", BeMaskAbi, [], [], machine: "sparc64"),
        Row("x86_64", "i386", "7f454c4602010100000000000000000002003e00", X86Mask, ["linux/amd64"], ["x64", "x86-64"], debian: "amd64", rpm: "x86_64", machine: "x86_64"),
        Row("xtensa", "xtensa", "7f454c4601010100000000000000000002005e00", LeMask, [], []),
        Row("xtensaeb", "xtensaeb", "7f454c460102010000000000000000000002005e", BeMask, [], []),
    ];

    /// <summary>The target called <paramref name="name"/> (a name, a Debian or RPM name, an alias, or an OCI platform), or null.</summary>
    public static TargetArch? Find(string name)
    {
        var trimmed = name.Trim();
        var byName = All.FirstOrDefault(t => t.IsCalled(trimmed));
        if (byName is not null || !OciPlatform.TryParse(trimmed, out var platform))
        {
            return byName;
        }

        return All.FirstOrDefault(t => t.Platforms.Any(p => p.Matches(platform)));
    }

    /// <summary>The target called <paramref name="name"/>, or a <see cref="Cli.UserException"/> listing the known names.</summary>
    public static TargetArch Get(string name, string what = "target") =>
        Find(name) ?? throw new Cli.UserException(UnknownNameMessage(name, what));

    /// <summary>The sentence for a name no row has: the name asked for and every known name.</summary>
    public static string UnknownNameMessage(string name, string what = "target") =>
        $"unknown {what} '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})";

    /// <summary>
    /// The canonical architecture name of a host or package arch (amd64 → x86_64, arm64 → aarch64, ppc64el → ppc64le,
    /// armhf and armv7hl → arm), or null when it is not an architecture this table knows (noarch).
    /// </summary>
    public static string? Normalize(string arch) => Find(arch)?.Name;

    /// <summary>
    /// The target whose programs start with <paramref name="header"/> (the first 64 bytes of an ELF file), or null:
    /// tells which machine a binary, e.g. an emulator, runs on.
    /// </summary>
    public static TargetArch? FromElfHeader(ReadOnlySpan<byte> header)
    {
        foreach (var target in All)
        {
            if (target.MatchesElfHeader(header))
            {
                return target;
            }
        }

        return null;
    }

    /// <summary>The CPU family of a host named the way uname -m, dpkg or Docker name it (x86_64 → i386).</summary>
    public static string FamilyOf(string hostArch) => Find(hostArch)?.Family ?? hostArch;

    /// <summary>The sentence for a <c>HOST_ARCH</c> that cannot be an architecture name (the value is not repeated).</summary>
    public const string MalformedHostArchMessage =
        "HOST_ARCH: not an architecture name (only letters, digits and _ . / - make one); unset it to use the kernel's";

    /// <summary>
    /// The architecture the running kernel reports (uname(2), as <c>uname -m</c>), by QEMU's name when this table knows
    /// it (armv7l → arm): the host whose CPU family is never registered, whatever <c>HOST_ARCH</c> says.
    /// </summary>
    public static string KernelArch => Kernel.Value;

    /// <summary>
    /// The architecture this host is taken for, by QEMU's name: the kernel's, or <c>HOST_ARCH</c> as in
    /// qemu-binfmt-conf.sh when it names an architecture of this table. Any other <c>HOST_ARCH</c> is a usage error:
    /// a host guessed wrong would register its own family and stop every native program.
    /// </summary>
    public static string HostArch =>
        Environment.GetEnvironmentVariable("HOST_ARCH") is { Length: > 0 } overridden ? CheckHostArch(overridden) : KernelArch;

    /// <summary>The table's name for a <c>HOST_ARCH</c> value, or a usage error when it is malformed or unknown.</summary>
    public static string CheckHostArch(string value)
    {
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-'))
        {
            throw new Cli.UserException(MalformedHostArchMessage, Cli.ExitCodes.Usage);
        }

        return Normalize(value) ?? throw new Cli.UserException(UnknownHostArchMessage(value), Cli.ExitCodes.Usage);
    }

    /// <summary>The sentence for a well-formed <c>HOST_ARCH</c> that names no architecture of this table.</summary>
    public static string UnknownHostArchMessage(string value) =>
        $"HOST_ARCH: {UnknownNameMessage(value, "host architecture")}; unset it to use the kernel's";

    /// <summary>The targets qemu-binfmt-conf.sh would register on <paramref name="hostArch"/>: all but the host's family.</summary>
    public static IReadOnlyList<TargetArch> ForeignTo(string hostArch)
    {
        var family = FamilyOf(hostArch);
        return All.Where(t => t.Family != family).ToList();
    }

    private static readonly Lazy<string> Kernel = new(() =>
    {
        var machine = KernelMachine.Read();
        return Normalize(machine) ?? machine;
    });

    private static TargetArch Row(
        string name, string family, string magic, string mask, string[] platforms, string[] aliases, string? emulator = null,
        string? debian = null, string? rpm = null, string? machine = null) =>
        new(name,
            emulator ?? name,
            family,
            Convert.FromHexString(magic),
            Convert.FromHexString(mask),
            platforms.Select(p => OciPlatform.TryParse(p, out var parsed) ? parsed : throw new FormatException(p)).ToList(),
            aliases,
            debian,
            rpm,
            machine);

    private static string Zeros(int bytes) => new('0', bytes * 2);
}
