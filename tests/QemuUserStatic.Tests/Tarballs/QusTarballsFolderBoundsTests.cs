using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// A folder input stays inside itself and reads regular files only: links on the way out, FIFOs and devices named
/// like emulators, and emulators of two hosts are each one error line, nothing written, and never a blocked run.
/// </summary>
public class QusTarballsFolderBoundsTests : TempDirTest
{
    // Every refusal here comes before anything is opened: a run still going after this is blocked.
    private static readonly TimeSpan Prompt = TimeSpan.FromMinutes(2);

    [Test]
    public void Package_root_whose_usr_bin_is_a_link_to_the_machines_is_refused()
    {
        var root = Temp["root"];
        Directory.CreateDirectory(Path.Combine(root, "usr"));
        Directory.CreateSymbolicLink(Path.Combine(root, "usr", "bin"), "/usr/bin");
        TarballsAssert.Fails(Temp, [root],
            "root: usr/bin is a symbolic link (to /usr/bin): the folders of a folder input must be real folders, links are not followed");
    }

    [Test]
    public void Package_root_whose_usr_is_a_link_to_the_machines_is_refused()
    {
        var root = Temp["root"];
        Directory.CreateDirectory(root);
        Directory.CreateSymbolicLink(Path.Combine(root, "usr"), "/usr");
        TarballsAssert.Fails(Temp, [root], "root: usr is a symbolic link (to /usr): the folders of a folder input must be real folders");
    }

    [Test]
    public void Package_root_whose_binfmt_folder_is_a_link_to_etc_is_refused()
    {
        var root = PackageRootWithOneEmulator();
        Directory.CreateSymbolicLink(Path.Combine(root, "usr", "lib", "binfmt.d"), "/etc");
        TarballsAssert.Fails(Temp, [root], "root: usr/lib/binfmt.d is a symbolic link (to /etc): the folders of a folder input must be real folders");
    }

    [Test]
    public void Folder_mixing_emulators_of_two_hosts_names_both()
    {
        var folder = FolderWithOneEmulator();
        // The machine's x86_64-host qemu-arm-static, its e_machine turned into AArch64's (183): an aarch64-host emulator.
        var bytes = File.ReadAllBytes("/usr/bin/qemu-arm-static");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 183);
        File.WriteAllBytes(Path.Combine(folder, "qemu-arm-static"), bytes);
        TarballsAssert.Fails(Temp, [folder],
            "emulators: emulators for different hosts: usr/bin/qemu-arm-static is for aarch64, usr/bin/qemu-riscv64-static is for x86_64");
    }

    [Test]
    public void Folder_with_a_link_between_two_emulators_is_refused()
    {
        var folder = FolderWithOneEmulator();
        File.CreateSymbolicLink(Path.Combine(folder, "qemu-arm-static"), "qemu-riscv64-static");
        TarballsAssert.Fails(Temp, [folder],
            "emulators: usr/bin/qemu-arm-static is a link to usr/bin/qemu-riscv64-static, another emulator: one binary cannot be both");
    }

    [Test]
    public void Folder_with_a_FIFO_named_like_an_emulator_is_refused_before_it_is_opened()
    {
        var folder = FolderWithOneEmulator();
        ToolProcess.ShellOrThrow($"mkfifo '{Path.Combine(folder, "qemu-arm-static")}'");
        TarballsAssert.Fails(Temp, [folder], "emulators: qemu-arm-static is a FIFO, not a regular file", timeout: Prompt);
    }

    [Test]
    public void Folder_with_a_character_device_named_like_an_emulator_is_refused()
    {
        var folder = FolderWithOneEmulator();
        ToolProcess.ShellOrThrow($"mknod '{Path.Combine(folder, "qemu-arm-static")}' c 1 5");    // /dev/zero's numbers
        TarballsAssert.Fails(Temp, [folder], "emulators: qemu-arm-static is a character device, not a regular file", timeout: Prompt);
    }

    [Test]
    public void Package_root_with_a_FIFO_binfmt_file_is_refused()
    {
        var root = PackageRootWithOneEmulator();
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "binfmt.d"));
        ToolProcess.ShellOrThrow($"mkfifo '{Path.Combine(root, "usr", "lib", "binfmt.d", "qemu-riscv64-static.conf")}'");
        TarballsAssert.Fails(Temp, [root], "root: usr/lib/binfmt.d/qemu-riscv64-static.conf is a FIFO, not a regular file", timeout: Prompt);
    }

    [Test]
    public void Input_that_is_a_FIFO_is_refused_before_it_is_opened()
    {
        var fifo = Temp["qemu-user-static.rpm"];
        ToolProcess.ShellOrThrow($"mkfifo '{fifo}'");
        TarballsAssert.Fails(Temp, [fifo], "qemu-user-static.rpm: a FIFO, not a package file or a folder", timeout: Prompt);
    }

    [Test]
    public void Input_that_is_a_character_device_is_refused() =>
        TarballsAssert.Fails(Temp, ["/dev/zero"], "/dev/zero: a character device, not a package file or a folder", timeout: Prompt);

    /// <summary>A flat folder input holding a copy of the machine's qemu-riscv64-static.</summary>
    private string FolderWithOneEmulator()
    {
        var folder = Temp["emulators"];
        Directory.CreateDirectory(folder);
        File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(folder, "qemu-riscv64-static"));
        return folder;
    }

    /// <summary>An unpacked package root: usr/bin/qemu-riscv64-static, and usr/lib but no binfmt.d yet.</summary>
    private string PackageRootWithOneEmulator()
    {
        var root = Temp["root"];
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib"));
        File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(root, "usr", "bin", "qemu-riscv64-static"));
        return root;
    }
}
