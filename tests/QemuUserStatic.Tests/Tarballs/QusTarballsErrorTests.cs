using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// Every user error of qus-tarballs, each from a real broken input: one line naming the file and the problem,
/// exit code 1 (2 for usage), no stack trace, and no output left behind — not even in an output folder that
/// already held files.
/// </summary>
public class QusTarballsErrorTests : TempDirTest
{
    /// <summary>Single broken inputs and the problem each must be reported with.</summary>
    public static IEnumerable<TestCaseData> BrokenInputs()
    {
        yield return Case(BrokenPackages.NotAPackage, "not-a-package.rpm: not an RPM package, a .deb or a folder", "not a package");
        yield return Case(folder => Path.Combine(folder, "nothing-here.rpm"), "nothing-here.rpm: no such file or folder", "missing input");
        yield return Case(BrokenPackages.Truncated, "truncated.rpm: truncated: the signature header says", "truncated RPM");
        yield return Case(BrokenPackages.BogusCompressor, "bogus-compressor.rpm: unknown payload compressor 'zsxd'", "unknown compressor");
        yield return Case(BrokenPackages.HeaderByteFlipped, "header-flipped.rpm: header SHA256 digest mismatch", "header digest mismatch");
        yield return Case(BrokenPackages.PayloadByteFlipped, "payload-flipped.rpm: payload SHA256 digest mismatch", "payload digest mismatch");
        yield return Case(BrokenPackages.DotDotEntry, "dotdot.rpm: entry '../../bin/qemu-s390x-static' has a '..' component", "cpio entry leading outside");
    }

    [TestCaseSource(nameof(BrokenInputs))]
    public void Broken_input(Func<string, string> make, string problem) => AssertFails([make(Temp.Path)], problem);

    [Test]
    public void File_digest_mismatch_after_other_emulators_were_written() =>
        AssertFails([.. PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]), BrokenPackages.FileContentChanged(Temp.Path)],
            "file-changed.rpm: usr/bin/qemu-s390x-static: SHA256 digest mismatch: FILEDIGESTS says");

    [Test]
    public void Folder_with_a_link_leading_outside()
    {
        var folder = FolderWithOneEmulator("emulators");
        File.CreateSymbolicLink(Path.Combine(folder, "qemu-evil-static"), "/etc/passwd");
        AssertFails([folder], "emulators: link 'qemu-evil-static' -> '/etc/passwd' leads outside the folder");
    }

    [Test]
    public void No_qemu_binaries() =>
        AssertFails([PackageFixtures.DebianPackage("busybox-static", "arm64")], "no qemu binaries (usr/bin/qemu-ARCH-static or qemu-ARCH) found in");

    [Test]
    public void Dynamically_linked_qemu_user_of_bookworm() =>
        AssertFails([PackageFixtures.DebianPackage("qemu-user", "amd64", "bookworm")],
            "usr/bin/qemu-aarch64 is dynamically linked (it needs the interpreter /lib64/ld-linux-x86-64.so.2), not a static emulator");

    [Test]
    public void Emulators_built_for_another_host_than_the_release() =>
        AssertFails(PackageFixtures.FedoraSplit(["arm"], arch: "aarch64", emulatorFolder: PackageFixtures.DebianEmulators("arm64")),
            "usr/bin/qemu-arm-static is built for aarch64 (ELF 64-bit little-endian, machine 183), not for the release's host x86_64 (ELF 64-bit little-endian, machine 62)",
            ["--from-arch", "x86_64"]);

    [Test]
    public void Folder_whose_emulator_is_not_an_elf_file()
    {
        var folder = FolderWithOneEmulator("not-elf");
        File.WriteAllText(Path.Combine(folder, "qemu-arm-static"), "#!/bin/sh\necho qemu-arm version 7.2.0\n");
        AssertFails([folder], "usr/bin/qemu-arm-static: not an emulator: ");
    }

    [Test]
    public void Transitional_package_of_links_only()
    {
        var root = Temp["transitional"];
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            "Package: qemu-user-static\nVersion: 1:9.1.0+ds-1\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: transitional\n");
        File.CreateSymbolicLink(Path.Combine(root, "usr", "bin", "qemu-aarch64-static"), "qemu-aarch64");
        File.CreateSymbolicLink(Path.Combine(root, "usr", "bin", "qemu-arm-static"), "qemu-arm");
        var deb = Path.Combine(Temp.Path, "qemu-user-static_9.1.0+ds-1_amd64.deb");
        ToolProcess.ShellOrThrow($"dpkg-deb --root-owner-group -Zxz -b '{root}' '{deb}' >/dev/null");
        AssertFails([deb], "only 2 links to files they do not carry (qemu-user-static_9.1.0+ds-1_amd64.deb: usr/bin/qemu-aarch64-static -> qemu-aarch64, ...): a transitional qemu-user-static?");
    }

    [Test]
    public void Target_not_in_the_packages() =>
        AssertFails(PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]), "--targets: qemu-s390x-static not found in", ["--targets", "aarch64,s390x"]);

    [Test]
    public void Unknown_targets_name() =>
        AssertFails(PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]), "unknown --targets name 'pdp11' (known: aarch64, aarch64_be,", ["--targets", "arm64,pdp11"]);

    [Test]
    public void Unknown_from_arch() =>
        AssertFails(PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]), "unknown --from-arch 'vax'", ["--from-arch", "vax"]);

    [Test]
    public void Inputs_of_different_versions() =>
        AssertFails([PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0], PackageFixtures.FedoraSingle(["aarch64", "s390x"])],
            "the inputs are of different versions: qemu-user-static-aarch64-7.2.0-1.fc99.x86_64.rpm is 7.2.0-1.fc99, qemu-user-static-5.2.0-1.fc33.x86_64.rpm is 5.2.0-1.fc33");

    [Test]
    public void Inputs_for_different_host_architectures() =>
        AssertFails([PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0], PackageFixtures.FedoraSplit(["s390x"], arch: "aarch64").Single()],
            "the inputs are for different host architectures: qemu-user-static-aarch64-7.2.0-1.fc99.x86_64.rpm is x86_64, qemu-user-static-s390x-7.2.0-1.fc99.aarch64.rpm is aarch64");

    [Test]
    public void Output_that_is_a_file()
    {
        var file = Temp["a-file"];
        File.WriteAllText(file, "x");
        var result = TarballsTool.Run([PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0]], file);
        AssertOneLineError(result, $"{file}: cannot write the output folder: ");
        Assert.That(File.ReadAllText(file), Is.EqualTo("x"));
    }

    [Test]
    public void Output_that_cannot_be_created()
    {
        var result = TarballsTool.Run([PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0]], "/proc/version/out");
        AssertOneLineError(result, "/proc/version/out: cannot write the output folder: ");
    }

    [Test]
    public void Bad_SOURCE_DATE_EPOCH_is_a_usage_error()
    {
        var result = TarballsTool.Run([PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0]], Temp["out"], [],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "yesterday" });
        AssertOneLineError(result, "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds since the epoch", exitCode: 2);
        Assert.That(Directory.Exists(Temp["out"]), Is.False);
    }

    private static TestCaseData Case(Func<string, string> make, string problem, string name) =>
        new TestCaseData(make, problem).SetArgDisplayNames(name);

    /// <summary>
    /// Runs twice: into a new folder (which must not exist afterwards) and into a folder holding a file (which must
    /// hold exactly that file afterwards); both fail with one line containing <paramref name="problem"/>.
    /// </summary>
    /// <summary>A folder input holding a copy of the machine's qemu-riscv64-static, to add a broken file beside.</summary>
    private string FolderWithOneEmulator(string name)
    {
        var folder = Temp[name];
        Directory.CreateDirectory(folder);
        File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(folder, "qemu-riscv64-static"));
        return folder;
    }

    private void AssertFails(IReadOnlyList<string> inputs, string problem, IReadOnlyList<string>? args = null)
    {
        var fresh = Temp["fresh-out"];
        AssertOneLineError(TarballsTool.Run(inputs, fresh, args), problem);
        Assert.That(Directory.Exists(fresh), Is.False, "a failed run leaves no output folder it created");

        var existing = Temp["existing-out"];
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "keep.txt"), "earlier");
        AssertOneLineError(TarballsTool.Run(inputs, existing, args), problem);
        Assert.That(Directory.GetFileSystemEntries(existing).Select(Path.GetFileName), Is.EqualTo(new[] { "keep.txt" }),
            "a failed run leaves nothing in an existing output folder");
    }

    private static void AssertOneLineError(ProcessResult result, string problem, int exitCode = 1) =>
        ToolAssert.OneLineError(result, "qus-tarballs", problem, exitCode);
}
