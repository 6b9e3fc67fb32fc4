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

    /// <summary>
    /// The hello program's C source: its line, then uname(2)'s machine. With <see cref="NoStartFiles"/> it has no C
    /// start-up (its own _start, uname, write and exit_group through syscall(), which needs no initialised libc): still
    /// a real program for "does the emulator run one", for the targets whose static glibc start-up fails under QEMU.
    /// </summary>
    public const string HelloSource = """
        #ifndef QUS_NO_START_FILES
        #include <stdio.h>
        #include <sys/utsname.h>
        int main(void)
        {
            struct utsname u;
            if (uname(&u) != 0) return 1;
            printf("qus-guest hello\n%s\n", u.machine);
            return 0;
        }
        #else
        #include <sys/syscall.h>
        #include <sys/utsname.h>
        #include <unistd.h>
        __attribute__((noreturn, used)) void qus_start(void)
        {
            static const char line[] = "qus-guest hello\n";
            struct utsname u;
            unsigned long n = 0;
            if (syscall(SYS_uname, &u) != 0) syscall(SYS_exit_group, 1);
            syscall(SYS_write, 1, line, sizeof line - 1);
            while (n < sizeof u.machine - 1 && u.machine[n]) n++;
            u.machine[n] = '\n';
            syscall(SYS_write, 1, u.machine, n + 1);
            syscall(SYS_exit_group, 0);
            for (;;) {}
        }
        #if defined(__alpha__)
        /* The kernel leaves $27 undefined: gp from _start's own address, then a normal call. */
        __asm__(".globl _start\n.ent _start\n_start:\n br $27, 1f\n1: ldgp $29, 0($27)\n jsr $26, qus_start\n.end _start\n");
        #else
        void _start(void) __attribute__((alias("qus_start")));
        #endif
        #endif

        """;

    /// <summary>The flags that build the hello without C start-up (see <see cref="HelloSource"/>).</summary>
    public static readonly string[] NoStartFiles = ["-nostartfiles", "-DQUS_NO_START_FILES"];

    /// <summary>Every guest, by target name.</summary>
    public static IReadOnlyList<GuestSpec> All { get; } =
    [
        Busybox("aarch64", "arm64", "trixie", "aarch64"),
        // alpha's and sh4's static glibc programs (Debian 12's cross toolchains) crash (alpha: SIGSEGV) or hang (sh4) in
        // glibc's start-up under QEMU 7.2, 11.1.2 and 11.1.3 alike; without C start-up they run.
        Hello("alpha", "alpha-linux-gnu", NoStartFiles, "alpha"),
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
        // -m32 gives sparc32plus, never sparc.
        Hello("sh4", "sh4-linux-gnu", NoStartFiles, "sh4"),
        Hello("sparc32plus", "sparc64-linux-gnu", ["-m32"], "sparc64"),
        Hello("sparc64", "sparc64-linux-gnu", [], "sparc64"),
        Busybox("x86_64", "amd64", "trixie", "x86_64"),
    ];

    /// <summary>The guest of <paramref name="target"/> (a table name), or null when Debian has none for it.</summary>
    public static GuestSpec? For(string target) => All.FirstOrDefault(g => g.Target == target);

    /// <summary>
    /// The table as lines for shell scripts (actions/guest-set.sh builds the same set from them):
    /// <c>TARGET busybox DEBIAN_ARCH SUITE MACHINE</c> or <c>TARGET hello TRIPLET FLAGS MACHINE</c>, FLAGS comma-separated or <c>-</c>.
    /// </summary>
    public static string ToLines() => string.Concat(All.Select(g =>
        $"{g.Target} {g.Kind.ToString().ToLowerInvariant()} {g.Source} {(g.Kind == GuestKind.Busybox ? g.Suite : g.Flags.Count == 0 ? "-" : string.Join(',', g.Flags))} {g.Machine}\n"));

    private static GuestSpec Busybox(string target, string debianArch, string suite, string machine) =>
        new(target, GuestKind.Busybox, debianArch, suite, [], machine);

    private static GuestSpec Hello(string target, string triplet, string[] flags, string machine) =>
        new(target, GuestKind.Hello, triplet, null, flags, machine);
}
