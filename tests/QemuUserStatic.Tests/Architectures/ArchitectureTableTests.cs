using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Architectures;

/// <summary>The table against the two public sources of its facts: Debian's binfmts files and qemu-binfmt-conf.sh.</summary>
public class ArchitectureTableTests
{
    private const string DebianBinfmts = "/usr/share/binfmts";

    // Rows Debian (qemu-user-static 7.2 for amd64) has no file for, as QEMU's scripts/qemu-binfmt-conf.sh writes them.
    private static readonly Dictionary<string, (string Magic, string Mask)> FromQemuScript = new()
    {
        ["i386"] = (@"\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00", @"\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"),
        ["i486"] = (@"\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x06\x00", @"\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"),
        ["x86_64"] = (@"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00", @"\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"),
        ["aarch64_be"] = (@"\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7", @"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff"),
        ["microblazeel"] = (@"\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xab\xba", @"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"),
        ["or1k"] = (@"\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x5c", @"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff"),
    };

    // e_machine values from the ELF specification and binutils' elf/common.h.
    private static readonly Dictionary<string, int> ElfMachine = new()
    {
        ["aarch64"] = 183, ["aarch64_be"] = 183, ["alpha"] = 0x9026, ["arm"] = 40, ["armeb"] = 40, ["cris"] = 76,
        ["hexagon"] = 164, ["hppa"] = 15, ["i386"] = 3, ["i486"] = 6, ["loongarch64"] = 258, ["m68k"] = 4,
        ["microblaze"] = 0xbaab, ["microblazeel"] = 0xbaab, ["mips"] = 8, ["mips64"] = 8, ["mips64el"] = 8, ["mipsel"] = 8,
        ["mipsn32"] = 8, ["mipsn32el"] = 8, ["nios2"] = 113, ["or1k"] = 92, ["ppc"] = 20, ["ppc64"] = 21, ["ppc64le"] = 21,
        ["riscv32"] = 243, ["riscv64"] = 243, ["s390x"] = 22, ["sh4"] = 42, ["sh4eb"] = 42, ["sparc"] = 2,
        ["sparc32plus"] = 18, ["sparc64"] = 43, ["x86_64"] = 62, ["xtensa"] = 94, ["xtensaeb"] = 94,
    };

    private static IEnumerable<TargetArch> Rows() => ArchitectureTable.All;

    [Test]
    public void Holds_every_linux_user_target_once()
    {
        string[] expected =
        [
            "aarch64", "aarch64_be", "alpha", "arm", "armeb", "cris", "hexagon", "hppa", "i386", "i486", "loongarch64",
            "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mipsn32", "mipsn32el", "mips64", "mips64el", "nios2",
            "or1k", "ppc", "ppc64", "ppc64le", "riscv32", "riscv64", "s390x", "sh4", "sh4eb", "sparc", "sparc32plus",
            "sparc64", "x86_64", "xtensa", "xtensaeb",
        ];
        Assert.That(ArchitectureTable.All.Select(t => t.Name), Is.EquivalentTo(expected));
        Assert.That(ArchitectureTable.All.Select(t => t.Name), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [TestCaseSource(nameof(Rows))]
    public void Matches_Debian_binfmts_file_or_qemu_binfmt_conf(TargetArch target)
    {
        var debianFile = Path.Combine(DebianBinfmts, target.EntryName);
        string magic, mask;
        if (File.Exists(debianFile))
        {
            var fields = File.ReadAllLines(debianFile)
                .Select(l => l.Split(' ', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim());
            Assert.That(fields["offset"], Is.EqualTo("0"));
            (magic, mask) = (fields["magic"], fields["mask"]);
        }
        else if (FromQemuScript.TryGetValue(target.Name, out var fromScript))
        {
            (magic, mask) = fromScript;
        }
        else
        {
            Assert.That(target.Name, Is.EqualTo("nios2"), $"{target.Name} has no source to check against");
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(target.Magic, Is.EqualTo(BinfmtEntry.Unescape(magic)), "magic");
            Assert.That(target.Mask, Is.EqualTo(BinfmtEntry.Unescape(mask)), "mask");
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Is_a_consistent_ELF_header_match(TargetArch target)
    {
        Assert.Multiple(() =>
        {
            Assert.That(target.Magic.Length, Is.EqualTo(target.Mask.Length), "magic and mask lengths");
            Assert.That(target.Magic.Length, Is.LessThanOrEqualTo(128), "binfmt_misc's limit");
            Assert.That(target.Magic[..4], Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }), "ELF magic");
            Assert.That(target.ElfMachine, Is.EqualTo(ElfMachine[target.Name]), "e_machine");
            Assert.That(target.ElfClass, Is.EqualTo(target.Name.Contains("64") || target.Name is "alpha" or "s390x" or "sparc64" ? 2 : 1), "ELF class");
        });
    }

    [Test]
    public void Every_emulator_Debian_ships_has_a_row()
    {
        var shipped = Directory.GetFiles("/usr/bin", "qemu-*-static")
            .Select(f => Path.GetFileName(f)["qemu-".Length..^"-static".Length])
            .ToList();
        Assert.That(shipped, Is.Not.Empty, "qemu-user-static is installed");
        Assert.That(shipped, Is.SubsetOf(ArchitectureTable.All.Select(t => t.Emulator)));
        Assert.That(ArchitectureTable.All.Select(t => t.Emulator).Distinct(), Is.SubsetOf(shipped));
    }

    [TestCase("arm64", "aarch64")]
    [TestCase("amd64", "x86_64")]
    [TestCase("ppc64el", "ppc64le")]
    [TestCase("armhf", "arm")]
    [TestCase("ARMV7L", "arm")]
    [TestCase("linux/arm64", "aarch64")]
    [TestCase("linux/arm64/v8", "aarch64")]
    [TestCase("linux/arm/v7", "arm")]
    [TestCase("linux/arm/v6", "arm")]
    [TestCase("linux/386", "i386")]
    [TestCase("linux/mips64le", "mips64el")]
    [TestCase("linux/loong64", "loongarch64")]
    [TestCase("riscv64", "riscv64")]
    [TestCase("armv7hl", "arm")]
    [TestCase("i686", "i386")]
    [TestCase("loong64", "loongarch64")]
    public void Finds_targets_by_alias_and_platform(string name, string expected) =>
        Assert.That(ArchitectureTable.Find(name)?.Name, Is.EqualTo(expected));

    [Test]
    public void The_Debian_column_is_dpkgs_name_of_the_same_CPU()
    {
        Assert.Multiple(() =>
        {
            foreach (var target in ArchitectureTable.All.Where(t => t.DebianArch is not null))
            {
                // dpkg's GNU CPU for the Debian arch (arm64 → aarch64, ppc64el → powerpc64le) must name this row.
                var cpu = ToolProcess.Run("dpkg-architecture", ["-a", target.DebianArch!, "-qDEB_HOST_GNU_CPU"]).StandardOutput.Trim();
                Assert.That(ArchitectureTable.Find(cpu)?.Name, Is.EqualTo(target.Name), $"{target.DebianArch}: dpkg says {cpu}");
            }

            var own = ToolProcess.Run("dpkg", ["--print-architecture"]).StandardOutput.Trim();
            Assert.That(ArchitectureTable.DebianArch(ArchitectureTable.KernelArch), Is.EqualTo(own), "this machine's");
        });
    }

    [Test]
    public void The_RPM_column_holds_architectures_rpm_knows()
    {
        // rpmrc's arch_canon lines list every architecture rpm builds for.
        var canon = File.ReadAllLines("/usr/lib/rpm/rpmrc")
            .Where(l => l.StartsWith("arch_canon:", StringComparison.Ordinal))
            .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1].TrimEnd(':'))
            .ToList();
        Assert.That(canon, Does.Contain("x86_64"), "rpmrc was read");
        Assert.That(ArchitectureTable.All.Select(t => t.RpmArch).OfType<string>(), Is.SubsetOf(canon));
    }

    [Test]
    public void Unknown_names_are_a_user_error_listing_the_known_ones()
    {
        Assert.That(ArchitectureTable.Find("vax"), Is.Null);
        var error = Assert.Throws<QemuUserStatic.Cli.UserException>(() => ArchitectureTable.Get("vax"));
        Assert.That(error!.Message, Does.Contain("unknown target 'vax'").And.Contain("aarch64"));
    }

    [TestCase("x86_64", new[] { "i386", "i486", "x86_64" })]
    [TestCase("aarch64", new[] { "aarch64", "arm" })]
    [TestCase("ppc64le", new[] { "ppc64le" })]
    [TestCase("s390x", new[] { "s390x" })]
    [TestCase("riscv64", new[] { "riscv32", "riscv64" })]
    public void The_host_family_is_never_foreign(string host, string[] skipped)
    {
        var foreign = ArchitectureTable.ForeignTo(host).Select(t => t.Name).ToList();
        Assert.That(ArchitectureTable.All.Select(t => t.Name).Except(foreign), Is.EquivalentTo(skipped));
    }

    [Test]
    public void The_kernel_arch_comes_from_uname_and_HOST_ARCH_must_name_a_known_architecture()
    {
        var uname = ToolProcess.Run("uname", ["-m"]).StandardOutput.Trim();
        Assert.Multiple(() =>
        {
            Assert.That(ArchitectureTable.KernelArch, Is.EqualTo(ArchitectureTable.Normalize(uname) ?? uname));
            Assert.That(ArchitectureTable.CheckHostArch("arm64"), Is.EqualTo("aarch64"));
            Assert.That(ArchitectureTable.CheckHostArch("linux/arm/v7"), Is.EqualTo("arm"));
            foreach (var malformed in new[] { "x86_64;id", " x86_64", "x86_64\n", "\u001b[2Jarm64", "arm64 " })
            {
                var error = Assert.Throws<QemuUserStatic.Cli.UserException>(() => ArchitectureTable.CheckHostArch(malformed))!;
                Assert.That((error.Message, error.ExitCode), Is.EqualTo((ArchitectureTable.MalformedHostArchMessage, 2)), malformed);
            }

            var unknown = Assert.Throws<QemuUserStatic.Cli.UserException>(() => ArchitectureTable.CheckHostArch("vax"))!;
            Assert.That(unknown.Message, Does.StartWith("HOST_ARCH: unknown host architecture 'vax' (known: aarch64, ")
                .And.EndWith("; unset it to use the kernel's"));
        });
    }

    [Test]
    public void Every_entry_name_is_one_binfmt_misc_accepts_and_prints_as_it_is() =>
        Assert.That(ArchitectureTable.All.Where(t => !BinfmtMisc.IsSafeName(t.EntryName)), Is.Empty);

    [Test]
    public void Every_OCI_platform_belongs_to_one_target()
    {
        var platforms = ArchitectureTable.All.SelectMany(t => t.Platforms.Select(p => p.ToString())).ToList();
        Assert.That(platforms, Is.Unique);
        Assert.That(platforms, Is.SupersetOf(new[]
        {
            "linux/arm64/v8", "linux/arm/v7", "linux/ppc64le", "linux/s390x", "linux/riscv64", "linux/386",
            "linux/amd64", "linux/mips64le", "linux/loong64",
        }));
    }
}
