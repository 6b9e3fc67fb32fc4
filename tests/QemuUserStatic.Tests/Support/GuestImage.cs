using System.Security.Cryptography;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The foreign guest image qus-test runs in the tests (no Docker Hub here): Debian's busybox-static for arm64 with the
/// applets the cases use, and <see cref="Witness"/>, a static aarch64 program built by aarch64-linux-gnu-gcc that
/// prints its effective uid (busybox's own applets drop setuid privileges, so case 7 needs a plain program). One
/// arm64 image made by umoci, tagged <see cref="Tag"/>, in an OCI layout cached in <c>.fixtures/</c>.
/// </summary>
public static class GuestImage
{
    /// <summary>The layout's tag.</summary>
    public const string Tag = "guest";

    /// <summary>The program printing its effective uid, on the guest's PATH (qus-test's <c>--setuid-witness</c>).</summary>
    public const string Witness = "qus-euid";

    private const string WitnessSource = "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"%d\\n\", (int)geteuid()); return 0; }\n";

    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The layout folder.</summary>
    public static string Layout => Folder.Value;

    /// <summary>qus-test's <c>--guest-image</c> naming it.</summary>
    public static string Reference => $"oci:{Layout}:{Tag}";

    private static string Build()
    {
        var busybox = Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox");
        var key = Convert.ToHexStringLower(SHA256.HashData([.. File.ReadAllBytes(busybox), .. System.Text.Encoding.UTF8.GetBytes(WitnessSource)]))[..12];
        return PackageFixtures.CachedFolder("guest-arm64-" + key, layout =>
        {
            using var scratch = new TempDir("qus-guest");
            var rootfs = scratch["rootfs"];
            Directory.CreateDirectory(Path.Combine(rootfs, "usr", "bin"));
            File.WriteAllText(scratch["euid.c"], WitnessSource);
            ToolProcess.ShellOrThrow(
                $"aarch64-linux-gnu-gcc -static -Os -s -o '{rootfs}/usr/bin/{Witness}' '{scratch["euid.c"]}' && " +
                $"mkdir -p '{rootfs}/bin' && cp '{busybox}' '{rootfs}/bin/busybox' && " +
                $"for a in sh ls cat echo test mkdir cp chown chmod uname id; do ln -s busybox '{rootfs}/bin/'$a; done && " +
                $"umoci init --layout '{layout}' && umoci new --image '{layout}:{Tag}' && " +
                $"umoci config --image '{layout}:{Tag}' --architecture arm64 --os linux --config.cmd sh --config.env PATH=/usr/bin:/bin && " +
                $"umoci insert --image '{layout}:{Tag}' '{rootfs}' / >/dev/null");
        });
    }
}
