using QemuUserStatic.Architectures;

namespace QemuUserStatic.Guests;

/// <summary>
/// The one table of guest programs: for every target Debian can give one, which program (Debian's busybox-static
/// where Debian builds it, else a hello cross-compiled with Debian 12's cross compilers, with the flags that pick the
/// target's ABI); the busybox's Debian architecture and the machine name QEMU's linux-user reports (<c>uname -m</c>,
/// from each target's cpu_to_uname_machine / target_elf.h, checked by running them) are the row's
/// <see cref="TargetArch.DebianArch"/> and <see cref="TargetArch.Machine"/>. Targets not listed have no guest anywhere in Debian.
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
        Busybox("aarch64", "trixie"),
        // alpha's and sh4's static glibc programs (Debian 12's cross toolchains) crash (alpha: SIGSEGV) or hang (sh4) in
        // glibc's start-up under QEMU 7.2, 11.1.2 and 11.1.3 alike; without C start-up they run.
        Hello("alpha", "alpha-linux-gnu", NoStartFiles),
        Busybox("arm", "trixie"),
        Hello("hppa", "hppa-linux-gnu", []),
        Busybox("i386", "trixie"),
        Busybox("loongarch64", "sid"),
        Hello("m68k", "m68k-linux-gnu", []),
        Hello("mips", "mips-linux-gnu", []),
        Hello("mips64", "mips64-linux-gnuabi64", []),
        // trixie no longer builds the mips ports; bookworm still does.
        Busybox("mips64el", "bookworm"),
        Busybox("mipsel", "bookworm"),
        Hello("mipsn32", "mips64-linux-gnuabi64", ["-mabi=n32"]),
        Hello("mipsn32el", "mips64el-linux-gnuabi64", ["-mabi=n32"]),
        Hello("ppc", "powerpc-linux-gnu", []),
        Hello("ppc64", "powerpc64-linux-gnu", []),
        Busybox("ppc64le", "trixie"),
        Busybox("riscv64", "trixie"),
        Busybox("s390x", "trixie"),
        // -m32 gives sparc32plus, never sparc.
        Hello("sh4", "sh4-linux-gnu", NoStartFiles),
        Hello("sparc32plus", "sparc64-linux-gnu", ["-m32"]),
        Hello("sparc64", "sparc64-linux-gnu", []),
        Busybox("x86_64", "trixie"),
    ];

    /// <summary>The guest of <paramref name="target"/> (a table name), or null when Debian has none for it.</summary>
    public static GuestSpec? For(string target) => All.FirstOrDefault(g => g.Target == target);

    /// <summary>The table as lines (<see cref="GuestSpec.Line"/>), as <c>qus-test --print-guests</c> prints it.</summary>
    public static string ToLines() => string.Concat(All.Select(g => g.Line));

    // The Debian architecture of a busybox and the machine every guest prints are columns of the target's row.
    private static GuestSpec Busybox(string target, string suite) =>
        new(target, GuestKind.Busybox, Column(target, t => t.DebianArch), suite, [], Column(target, t => t.Machine));

    private static GuestSpec Hello(string target, string triplet, string[] flags) =>
        new(target, GuestKind.Hello, triplet, null, flags, Column(target, t => t.Machine));

    // A row without a column its guest needs is a mistake in the two tables, found on their first use.
    private static string Column(string target, Func<TargetArch, string?> column) =>
        column(ArchitectureTable.Get(target)) ?? throw new InvalidOperationException($"guest table: {target}'s row lacks a column its guest needs");
}
