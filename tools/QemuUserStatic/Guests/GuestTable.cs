namespace QemuUserStatic.Guests;

/// <summary>
/// The one table of guest programs: for every target Debian can give one, which program (Debian's busybox-static
/// where Debian builds it, else a hello cross-compiled with Debian 12's cross compilers, with the flags that pick the
/// target's ABI) and the machine name QEMU's linux-user reports for it (<c>uname -m</c>, from each target's
/// cpu_to_uname_machine / target_elf.h, checked by running them). Targets not listed have no guest anywhere in Debian.
/// </summary>
public static class GuestTable
{
    /// <summary>The first line hello prints.</summary>
    public const string HelloLine = "qus-guest hello";

    /// <summary>The hello program's C source: its line, then uname(2)'s machine.</summary>
    public const string HelloSource = """
        #include <stdio.h>
        #include <sys/utsname.h>
        int main(void)
        {
            struct utsname u;
            if (uname(&u) != 0) return 1;
            printf("qus-guest hello\n%s\n", u.machine);
            return 0;
        }

        """;

    /// <summary>Every guest, by target name.</summary>
    public static IReadOnlyList<GuestSpec> All { get; } =
    [
        Busybox("aarch64", "arm64", "trixie", "aarch64"),
        Busybox("arm", "armhf", "trixie", "armv7l"),
        Hello("hppa", "hppa-linux-gnu", [], "parisc"),
        Busybox("i386", "i386", "trixie", "i686"),
        Busybox("loongarch64", "loong64", "sid", "loongarch64"),
        Hello("m68k", "m68k-linux-gnu", [], "m68k"),
        Hello("mips", "mips-linux-gnu", [], "mips"),
        Hello("mips64", "mips64-linux-gnuabi64", [], "mips64"),
        // trixie no longer builds the mips ports; bookworm still does.
        Busybox("mips64el", "mips64el", "bookworm", "mips64"),
        Busybox("mipsel", "mipsel", "bookworm", "mips"),
        Hello("mipsn32", "mips64-linux-gnuabi64", ["-mabi=n32"], "mips64"),
        Hello("mipsn32el", "mips64el-linux-gnuabi64", ["-mabi=n32"], "mips64"),
        Hello("ppc", "powerpc-linux-gnu", [], "ppc"),
        Hello("ppc64", "powerpc64-linux-gnu", [], "ppc64"),
        Busybox("ppc64le", "ppc64el", "trixie", "ppc64le"),
        Busybox("riscv64", "riscv64", "trixie", "riscv64"),
        Busybox("s390x", "s390x", "trixie", "s390x"),
        // alpha and sh4 have Debian 12 cross compilers, but their static glibc programs crash (alpha: SIGSEGV) or hang
        // (sh4) at start-up under QEMU 7.2 and 11.1.3 alike, so they are not guests. -m32 gives sparc32plus, never sparc.
        Hello("sparc32plus", "sparc64-linux-gnu", ["-m32"], "sparc64"),
        Hello("sparc64", "sparc64-linux-gnu", [], "sparc64"),
        Busybox("x86_64", "amd64", "trixie", "x86_64"),
    ];

    /// <summary>The guest of <paramref name="target"/> (a table name), or null when Debian has none for it.</summary>
    public static GuestSpec? For(string target) => All.FirstOrDefault(g => g.Target == target);

    /// <summary>
    /// The table as lines for shell scripts (tools/run-pipeline builds the same set from them):
    /// <c>TARGET busybox DEBIAN_ARCH SUITE MACHINE</c> or <c>TARGET hello TRIPLET FLAGS MACHINE</c>, FLAGS comma-separated or <c>-</c>.
    /// </summary>
    public static string ToLines() => string.Concat(All.Select(g =>
        $"{g.Target} {g.Kind.ToString().ToLowerInvariant()} {g.Source} {(g.Kind == GuestKind.Busybox ? g.Suite : g.Flags.Count == 0 ? "-" : string.Join(',', g.Flags))} {g.Machine}\n"));

    private static GuestSpec Busybox(string target, string debianArch, string suite, string machine) =>
        new(target, GuestKind.Busybox, debianArch, suite, [], machine);

    private static GuestSpec Hello(string target, string triplet, string[] flags, string machine) =>
        new(target, GuestKind.Hello, triplet, null, flags, machine);
}
