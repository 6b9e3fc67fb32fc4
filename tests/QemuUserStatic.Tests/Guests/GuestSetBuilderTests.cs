using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Guests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Guests;

/// <summary>
/// What the guest set builder needs and where it goes (<see cref="GuestSetBuilder"/>), without the network: its key,
/// the Debian packages a table needs, and its refusals (missing packages this process may not install, a cache that
/// cannot be one), checked against this machine's real dpkg.
/// </summary>
[Category("Unit")]
public class GuestSetBuilderTests : TempDirTest
{
    private static readonly Reporter Quiet = new(TextWriter.Null, false, new GitHubActions(new Dictionary<string, string?>()));

    private static GuestSpec Hello(string target, string triplet, params string[] flags) =>
        new(target, GuestKind.Hello, triplet, null, flags, target);

    [Test]
    public void The_key_is_the_tables_and_the_sources_and_changes_with_either()
    {
        var table = GuestTable.All;
        var key = new GuestSetBuilder(table, GuestTable.HelloSource).Key;
        var fewer = new GuestSetBuilder(table.Skip(1).ToList(), GuestTable.HelloSource).Key;
        var otherFlags = new GuestSetBuilder([.. table.Select(g => g.Target == "mipsn32" ? g with { Flags = ["-mabi=64"] } : g)], GuestTable.HelloSource).Key;
        var otherSuite = new GuestSetBuilder([.. table.Select(g => g.Target == "aarch64" ? g with { Suite = "sid" } : g)], GuestTable.HelloSource).Key;
        var otherSource = new GuestSetBuilder(table, GuestTable.HelloSource + "\n").Key;

        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^[0-9a-f]{12}$"));
            Assert.That(GuestSetBuilder.ForGuestTable().FolderName, Is.EqualTo("guests-" + key));
            Assert.That(new GuestSetBuilder([.. table], GuestTable.HelloSource).Key, Is.EqualTo(key), "the same table and source");
            Assert.That(new[] { fewer, otherFlags, otherSuite, otherSource }, Has.None.EqualTo(key));
            Assert.That(new[] { fewer, otherFlags, otherSuite, otherSource }, Is.Unique);
        });
    }

    [Test]
    public void A_table_needs_each_cross_compiler_once_its_multilib_for_another_abi_and_the_keyring_for_busybox()
    {
        GuestSpec[] table =
        [
            GuestTable.For("aarch64")!, GuestTable.For("riscv64")!, Hello("mipsn32", "mips64-linux-gnuabi64", "-mabi=n32"),
            Hello("sparc32plus", "sparc64-linux-gnu", "-m32"), Hello("sparc64", "sparc64-linux-gnu"), Hello("ppc", "powerpc-linux-gnu"),
        ];

        Assert.Multiple(() =>
        {
            Assert.That(new GuestSetBuilder(table, GuestTable.HelloSource).DebianPackages, Is.EqualTo(new[]
            {
                "debian-archive-keyring", "gcc-mips64-linux-gnuabi64", "gcc-multilib-mips64-linux-gnuabi64", "gcc-multilib-sparc64-linux-gnu",
                "gcc-powerpc-linux-gnu", "gcc-sparc64-linux-gnu",
            }));
            Assert.That(new GuestSetBuilder([Hello("alpha", "alpha-linux-gnu", GuestTable.NoStartFiles)], "").DebianPackages,
                Is.EqualTo(new[] { "gcc-alpha-linux-gnu" }), "-nostartfiles picks no other ABI");
            var all = GuestSetBuilder.ForGuestTable().DebianPackages;
            Assert.That(all, Has.Member("gcc-multilib-mips64el-linux-gnuabi64").And.Member("gcc-sh4-linux-gnu").And.Member("debian-archive-keyring"));
            Assert.That(all, Has.None.StartWith("gcc-multilib-alpha").And.None.Contain("x86"), "busybox guests need no compiler");
        });
    }

    [Test]
    public void Missing_compilers_this_process_may_not_install_are_named_in_one_error_and_nothing_is_written()
    {
        // dpkg-query, for real, knows no such package; with no way to install, the error names it and apt's way.
        var builder = new GuestSetBuilder([Hello("m68k", "qus-none-linux-gnu"), Hello("ppc", "powerpc-linux-gnu")], GuestTable.HelloSource)
        {
            Machine = new MachinePackages(AptAccess.None),
        };
        var cache = Temp["cache"];

        var error = Assert.ThrowsAsync<UserException>(() => builder.BuildAsync(cache, Quiet));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo(
                "guest set: missing Debian packages: gcc-qus-none-linux-gnu (apt-get install them, or run as root or with password-less sudo)"));
            Assert.That(Directory.GetFileSystemEntries(cache), Is.Empty);
        });
    }

    [Test]
    public void A_cache_that_cannot_be_a_folder_is_a_user_error_naming_it()
    {
        var file = Temp["file"];
        File.WriteAllText(file, "");
        var builder = GuestSetBuilder.ForGuestTable();

        Assert.Multiple(() =>
        {
            Assert.That(() => builder.BuildAsync(file, Quiet), Throws.TypeOf<UserException>().With.Message.EqualTo($"guest set cache {file}: is a file, not a folder"));
            Assert.That(() => builder.BuildAsync(Path.Combine(file, "cache"), Quiet),
                Throws.TypeOf<UserException>().With.Message.StartsWith($"guest set cache {file}/cache: cannot be created: "));
        });
    }
}

/// <summary>
/// The guest set builder making real sets with this machine's cross compilers (tests/prepare-machine installs them):
/// every guest executable and a real program of its target, the set reused, and a failing or killed build leaving no set.
/// The busybox guests of the whole table are the integration tests' (<see cref="GuestPrograms"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GuestSetBuilderBuildTests : TempDirTest
{
    private static GuestSpec Hello(string target, string triplet, params string[] flags) =>
        new(target, GuestKind.Hello, triplet, null, flags, target);

    [Test]
    public async Task The_hellos_are_built_whole_into_the_cache_and_taken_from_it_the_second_time()
    {
        var log = new StringWriter();
        var reporter = TestReporter.To(log);
        var builder = new GuestSetBuilder([Hello("m68k", "m68k-linux-gnu"), Hello("mipsn32el", "mips64el-linux-gnuabi64", "-mabi=n32")], GuestTable.HelloSource);
        var cache = Temp["cache"];

        var folder = await builder.BuildAsync(cache, reporter);
        var again = await builder.BuildAsync(cache, reporter);

        Assert.Multiple(() =>
        {
            Assert.That(folder, Is.EqualTo(Path.Combine(cache, builder.FolderName)));
            Assert.That(again, Is.EqualTo(folder));
            Assert.That(Directory.GetFileSystemEntries(cache), Is.EqualTo(new[] { folder }), "no staging folder left");
            Assert.That(Directory.GetFileSystemEntries(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "m68k", "mipsn32el" }), "no hello.c");
            foreach (var guest in Directory.GetFiles(folder))
            {
                Assert.That(File.GetUnixFileMode(guest), Is.EqualTo((UnixFileMode)0b111_101_101), guest);
            }

            // file(1), an independent reader: the ELF class and machine of each target's ABI, static.
            Assert.That(ToolProcess.Shell($"file -b '{folder}/m68k'").StandardOutput, Does.Contain("ELF 32-bit MSB executable, Motorola m68k").And.Contain("statically linked"));
            Assert.That(ToolProcess.Shell($"file -b '{folder}/mipsn32el'").StandardOutput, Does.Contain("ELF 32-bit LSB executable, MIPS").And.Contain("N32"));
            Assert.That(log.ToString(), Does.Contain($"guest set: building {folder} (2 guests)").And.Contain($"guest set: {folder} (2 guests, cached)"));
        });
    }

    [Test]
    public async Task A_killed_build_leaves_no_set_and_the_next_one_builds_it_whole()
    {
        var cache = Temp["cache"];
        var builder = GuestSetBuilder.ForGuestTable();
        // The busybox packages from the fixtures, where the builder looks for them: nothing is downloaded.
        foreach (var guest in GuestTable.All.Where(g => g.Kind == GuestKind.Busybox))
        {
            var deb = PackageFixtures.DebianPackage("busybox-static", guest.Source, guest.Suite);
            var debs = Directory.CreateDirectory(Path.Combine(cache, Path.GetFileName(Path.GetDirectoryName(deb)!))).FullName;
            File.Copy(deb, Path.Combine(debs, Path.GetFileName(deb)));
        }

        var set = Path.Combine(cache, builder.FolderName);
        string[] Staging() => Directory.GetDirectories(cache, builder.FolderName + ".partial-*");

        var killed = ToolProcess.RunToolAndKill(
            "Qus.Test", ["--repository", "127.0.0.1:9/qus", "--build-guests", cache], ready: () => Staging().Any(s => Directory.GetFiles(s).Length > 2));
        var left = Staging();
        var setAfterKill = Directory.Exists(set);
        var folder = await builder.BuildAsync(cache, TestReporter.To(TextWriter.Null));

        Assert.Multiple(() =>
        {
            Assert.That(killed, Is.True, "killed while building");
            Assert.That(left, Has.Length.EqualTo(1), "the kill left its staging folder");
            Assert.That(setAfterKill, Is.False, "no half set");
            Assert.That(folder, Is.EqualTo(set));
            Assert.That(Staging(), Is.Empty, "the next build removed it");
            Assert.That(Directory.GetFiles(set).Select(Path.GetFileName), Is.EquivalentTo(GuestTable.All.Select(g => g.Target)));
        });
    }

    [Test]
    public void A_guest_that_does_not_build_fails_naming_its_compiler_and_leaves_no_set()
    {
        var builder = new GuestSetBuilder([Hello("m68k", "m68k-linux-gnu"), Hello("ppc", "m68k-linux-gnu", "-qus-no-such-flag")], GuestTable.HelloSource);
        var cache = Temp["cache"];

        var error = Assert.ThrowsAsync<UserException>(() => builder.BuildAsync(cache, TestReporter.To(TextWriter.Null)));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("m68k-linux-gnu-gcc: could not build ppc: ").And.Contain("-qus-no-such-flag"));
            Assert.That(Directory.GetFileSystemEntries(cache), Is.Empty, "neither the set nor its staging folder");
        });
    }
}
