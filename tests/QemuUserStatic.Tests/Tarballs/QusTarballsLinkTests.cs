using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// No emulator is dropped without a word: hard and symbolic links named like emulators are either aliases of that
/// same emulator (published once, from its file, every name's digest checked) or the package is refused.
/// </summary>
public class QusTarballsLinkTests : TempDirTest
{
    private const string Rpm = "qemu-user-static-7.2.0-1.fc99.x86_64.rpm";

    [Test]
    public void Rpm_hard_link_chain_across_emulators_is_refused()
    {
        // One inode named aarch64, arm and riscv64: cpio stores the data once, with the last name.
        var rpm = PackageFixtures.HandMadeRpm(Temp["rpm"],
            "cp /usr/bin/qemu-riscv64-static %{buildroot}/usr/bin/qemu-aarch64-static\n" +
            "ln %{buildroot}/usr/bin/qemu-aarch64-static %{buildroot}/usr/bin/qemu-arm-static\n" +
            "ln %{buildroot}/usr/bin/qemu-aarch64-static %{buildroot}/usr/bin/qemu-riscv64-static",
            ["/usr/bin/qemu-aarch64-static", "/usr/bin/qemu-arm-static", "/usr/bin/qemu-riscv64-static"]);
        TarballsAssert.Fails(Temp, [rpm],
            $"{Rpm}: usr/bin/qemu-aarch64-static is a link to usr/bin/qemu-riscv64-static, another emulator: one binary cannot be both");
    }

    [Test]
    public void Rpm_hard_link_between_the_names_of_one_emulator_publishes_it_once()
    {
        var rpm = PackageFixtures.HandMadeRpm(Temp["rpm"],
            "cp /usr/bin/qemu-riscv64-static %{buildroot}/usr/bin/qemu-riscv64-static\n" +
            "ln %{buildroot}/usr/bin/qemu-riscv64-static %{buildroot}/usr/bin/qemu-riscv64",
            ["/usr/bin/qemu-riscv64", "/usr/bin/qemu-riscv64-static"]);
        var manifest = Succeeds([rpm]);
        var target = manifest.Targets.Single();
        Assert.That((target.Name, target.Binary.Sha256, target.VerifiedBy),
            Is.EqualTo(("riscv64", QemuUserStatic.Common.Sha256Hex.OfFile("/usr/bin/qemu-riscv64-static"), "FILEDIGESTS SHA256")));
    }

    [Test]
    public void Deb_hard_link_across_emulators_is_refused()
    {
        var deb = HandMadeDeb.Build(Temp.Path, root =>
        {
            File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(root, "usr", "bin", "qemu-aarch64-static"));
            ToolProcess.ShellOrThrow("ln qemu-aarch64-static qemu-arm-static", workingDirectory: Path.Combine(root, "usr", "bin"));
        }, ["usr/bin/qemu-aarch64-static", "usr/bin/qemu-arm-static"]);
        TarballsAssert.Fails(Temp, [deb],
            $"{HandMadeDeb.FileName}: usr/bin/qemu-arm-static is a link to usr/bin/qemu-aarch64-static, another emulator: one binary cannot be both");
    }

    [Test]
    public void Deb_symbolic_link_to_another_emulator_is_refused() =>
        TarballsAssert.Fails(Temp, [DebWithLinks("usr/bin/qemu-riscv64-static", "/usr/bin/qemu-riscv64-static", ("qemu-arm-static", "qemu-riscv64-static"))],
            $"{HandMadeDeb.FileName}: usr/bin/qemu-arm-static is a link to usr/bin/qemu-riscv64-static, another emulator: one binary cannot be both");

    [Test]
    public void Deb_symbolic_link_to_a_file_that_is_no_emulator_is_refused() =>
        TarballsAssert.Fails(Temp, [DebWithLinks("usr/lib/qemu/riscv64", "/usr/bin/qemu-riscv64-static", ("qemu-riscv64-static", "../lib/qemu/riscv64"))],
            $"{HandMadeDeb.FileName}: usr/bin/qemu-riscv64-static is a link to usr/lib/qemu/riscv64, which is not an emulator: only regular files");

    [Test]
    public void Debian_alias_links_stay_unpublished()
    {
        var deb = DebWithLinks("usr/bin/qemu-aarch64", "/usr/bin/qemu-aarch64-static", ("qemu-aarch64-static", "qemu-aarch64"), ("qemu-arm64", "qemu-aarch64"));
        var manifest = Succeeds([deb]);
        Assert.That(manifest.Targets.Select(t => (t.Name, t.Binary.Name, t.VerifiedBy)),
            Is.EqualTo(new[] { ("aarch64", "qemu-aarch64-static", (string?)"md5sums MD5") }));
    }

    /// <summary>A .deb of one file (a copy of the machine's <paramref name="machine"/>, listed in md5sums) and symbolic links in usr/bin.</summary>
    private string DebWithLinks(string file, string machine, params (string Name, string Target)[] links) =>
        HandMadeDeb.Build(Temp.Path, root =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            File.Copy(machine, Path.Combine(root, file));
            foreach (var (name, target) in links)
            {
                File.CreateSymbolicLink(Path.Combine(root, "usr", "bin", name), target);
            }
        }, [file]);

    private ReleaseManifest Succeeds(IReadOnlyList<string> inputs)
    {
        var output = Temp["out"];
        var result = TarballsTool.Run(inputs, output);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return ReleaseManifest.Load(output);
    }
}
