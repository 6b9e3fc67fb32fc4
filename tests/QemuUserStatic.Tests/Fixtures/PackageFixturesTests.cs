using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fixtures;

/// <summary>The fixtures are what they claim: checked with the reference tools (rpm, rpm2cpio, dpkg-deb).</summary>
public class PackageFixturesTests
{
    [Test]
    public void Split_RPMs_have_Fedora_names_zstd_payload_and_binfmt_files()
    {
        var rpms = PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]);
        Assert.That(rpms.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "qemu-user-static-aarch64-7.2.0-1.fc99.x86_64.rpm",
            "qemu-user-static-arm-7.2.0-1.fc99.x86_64.rpm",
            "qemu-user-static-riscv-7.2.0-1.fc99.x86_64.rpm",
        }));
        var info = ToolProcess.ShellOrThrow($"rpm -qp --qf '%{{PAYLOADCOMPRESSOR}} %{{BUILDTIME}}\\n' '{rpms[0]}'; rpm -qlp '{rpms[0]}'");
        Assert.That(info, Does.Contain($"zstd {PackageFixtures.BuildTime}"));
        Assert.That(info, Does.Contain("/usr/bin/qemu-aarch64-static").And.Contain("/usr/lib/binfmt.d/qemu-aarch64-static.conf"));
        var conf = ToolProcess.ShellOrThrow($"rpm2cpio '{rpms[0]}' | zstdcat | cpio -i --quiet --to-stdout ./usr/lib/binfmt.d/qemu-aarch64-static.conf");
        Assert.That(conf, Does.StartWith(@":qemu-aarch64:M::\x7f\x45\x4c\x46\x02").And.EndWith(":/usr/bin/qemu-aarch64-static:F"));
    }

    [Test]
    public void Single_RPM_has_an_xz_payload()
    {
        var rpm = PackageFixtures.FedoraSingle(["aarch64", "s390x"]);
        Assert.That(Path.GetFileName(rpm), Is.EqualTo("qemu-user-static-5.2.0-1.fc33.x86_64.rpm"));
        var info = ToolProcess.ShellOrThrow($"rpm -qp --qf '%{{PAYLOADCOMPRESSOR}}\\n' '{rpm}'");
        Assert.That(info.Trim(), Is.EqualTo("xz"));
    }

    [Test]
    public void Debian_deb_is_the_real_package()
    {
        var deb = PackageFixtures.DebianDeb("amd64");
        var fields = ToolProcess.ShellOrThrow($"dpkg-deb -f '{deb}' Package Architecture");
        Assert.That(fields, Does.Contain("Package: qemu-user-static").And.Contain("Architecture: amd64"));
    }

    [Test]
    public void Arm64_busybox_runs_under_the_machine_emulator()
    {
        var root = PackageFixtures.DebianPackageRoot("busybox-static", "arm64");
        var result = ToolProcess.Run("/usr/bin/qemu-aarch64-static", [Path.Combine(root, "bin", "busybox"), "uname", "-m"]);
        Assert.That(result.StandardOutput.Trim(), Is.EqualTo("aarch64"), result.ToString());
    }
}
