using System.Text.RegularExpressions;
using QemuUserStatic.Architectures;
using QemuUserStatic.Guests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Architectures;

/// <summary>Every per-architecture fact is a column of the table's rows: the lookups over them, and no map kept elsewhere.</summary>
[Category("Unit")]
public class ArchitectureColumnsTests
{
    [Test]
    public void Every_name_of_a_row_finds_that_row_and_no_two_rows_share_one()
    {
        var names = ArchitectureTable.All.SelectMany(t => t.Names.Select(n => (Name: n.ToLowerInvariant(), Row: t.Name))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names.Select(n => n.Name), Is.Unique);
            foreach (var (name, row) in names)
            {
                Assert.That(ArchitectureTable.Find(name)?.Name, Is.EqualTo(row), name);
                Assert.That(ArchitectureTable.Find(name.ToUpperInvariant())?.Name, Is.EqualTo(row), name);
            }
        });
    }

    [TestCase("x86_64", "amd64", "x86_64")]
    [TestCase("aarch64", "arm64", "aarch64")]
    [TestCase("arm", "armhf", "armv7hl")]
    [TestCase("i386", "i386", "i686")]
    [TestCase("ppc64le", "ppc64el", "ppc64le")]
    [TestCase("s390x", "s390x", "s390x")]
    [TestCase("riscv64", "riscv64", "riscv64")]
    [TestCase("mips64el", "mips64el", null)]
    [TestCase("mipsel", "mipsel", null)]
    [TestCase("loongarch64", "loong64", null)]
    public void Names_a_host_the_way_Debian_and_Fedora_do(string host, string debian, string? rpm)
    {
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { host, debian, rpm }.OfType<string>())
            {
                Assert.That(ArchitectureTable.DebianArch(name), Is.EqualTo(debian), name);
                Assert.That(ArchitectureTable.FedoraArch(name), Is.EqualTo(rpm), name);
                Assert.That(ArchitectureTable.Normalize(name), Is.EqualTo(host), name);
            }
        });
    }

    [Test]
    public void Only_the_hosts_Debian_or_Fedora_build_for_have_package_names()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ArchitectureTable.All.Where(t => t.DebianArch is not null).Select(t => t.Name), Is.EquivalentTo(new[]
            {
                "aarch64", "arm", "i386", "loongarch64", "mips64el", "mipsel", "ppc64le", "riscv64", "s390x", "x86_64",
            }));
            Assert.That(ArchitectureTable.All.Where(t => t.RpmArch is not null).Select(t => t.Name), Is.EquivalentTo(new[]
            {
                "aarch64", "arm", "i386", "ppc64le", "riscv64", "s390x", "x86_64",
            }));
            Assert.That(ArchitectureTable.DebianArch("hppa"), Is.Null);
            Assert.That(ArchitectureTable.FedoraArch("mips64el"), Is.Null);
            Assert.That(ArchitectureTable.DebianArch("vax"), Is.Null);
        });
    }

    [Test]
    public void No_per_architecture_map_lives_outside_the_table()
    {
        // A dictionary entry ["aarch64"] = ... or a switch arm "arm64" => ... keyed by a name of a row is a column kept elsewhere.
        var names = string.Join('|', ArchitectureTable.All.SelectMany(t => t.Names).Select(Regex.Escape).Distinct());
        var key = new Regex($@"\[\s*""({names})""\s*\]\s*=|""({names})""\s*=>", RegexOptions.IgnoreCase);
        var tools = Repo.Under("tools");
        var found = Directory.EnumerateFiles(tools, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(tools, f).Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .Where(f => Path.GetFileName(f) != "ArchitectureTable.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (Line: line, Where: $"{Path.GetRelativePath(tools, f)}:{i + 1}")))
            .Where(l => key.IsMatch(l.Line))
            .Select(l => $"{l.Where}: {l.Line.Trim()}")
            .ToList();
        Assert.That(names, Does.Contain("amd64").And.Contain("armv7hl"), "the names were collected");
        Assert.That(found, Is.Empty);
    }

    [Test]
    public void Guests_take_the_Debian_name_and_the_machine_from_the_row()
    {
        Assert.Multiple(() =>
        {
            foreach (var guest in GuestTable.All)
            {
                var row = ArchitectureTable.Get(guest.Target);
                Assert.That(guest.Machine, Is.EqualTo(row.Machine), guest.Target);
                if (guest.Kind == GuestKind.Busybox)
                {
                    Assert.That(guest.Source, Is.EqualTo(row.DebianArch), guest.Target);
                }
            }

            Assert.That(GuestTable.For("mips64el")!.ExpectedOutput, Is.EqualTo("mips64\n"), "QEMU reports mips64 for mips64el");
            Assert.That(GuestTable.For("hppa")!.ExpectedOutput, Is.EqualTo($"{GuestTable.HelloLine}\nparisc\n"));
            Assert.That(ArchitectureTable.All.Where(t => t.Machine is not null).Select(t => t.Name),
                Is.EquivalentTo(GuestTable.All.Select(g => g.Target)), "a machine exactly where a guest checks it");
        });
    }

    [Test]
    public void One_rule_names_emulators_and_entries()
    {
        var i486 = ArchitectureTable.Get("i486");
        Assert.Multiple(() =>
        {
            Assert.That(i486.EmulatorFileName(), Is.EqualTo("qemu-i386-static"));
            Assert.That(i486.EmulatorFileName(""), Is.EqualTo("qemu-i386"));
            Assert.That(i486.EntryName, Is.EqualTo("qemu-i486"));
            Assert.That(QemuNames.EmulatorFileName("aarch64"), Is.EqualTo("qemu-aarch64-static"));
            Assert.That(QemuUserStatic.Packages.QemuLayout.EmulatorNameOfFile(i486.EmulatorFileName()), Is.EqualTo("i386"));
            Assert.That(QemuUserStatic.Packages.QemuLayout.EmulatorNameOfFile("qemu-img"), Is.Null);
            Assert.That(QemuNames.IsQemuEntry("qemu-arm") && !QemuNames.IsQemuEntry("python3.11"), Is.True);
        });
    }
}
