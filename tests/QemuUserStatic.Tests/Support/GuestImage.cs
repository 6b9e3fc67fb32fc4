using QemuUserStatic.Archives;
using QemuUserStatic.Architectures;
using QemuUserStatic.Guests;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The foreign guest image qus-test runs in the tests (no Docker Hub here): Debian's busybox-static for arm64 with
/// <see cref="Witness"/>, the static aarch64 program that prints its effective uid (busybox's own applets drop setuid
/// privileges, so case 7 needs a plain program), made by <see cref="BusyboxImage"/> as tools/run-pipeline makes its
/// guest. One arm64 image tagged <see cref="Tag"/>, in an OCI layout cached in <c>.fixtures/</c>.
/// </summary>
public static class GuestImage
{
    /// <summary>The layout's tag.</summary>
    public const string Tag = "guest";

    /// <summary>The program printing its effective uid, on the guest's PATH (qus-test's <c>--setuid-witness</c>).</summary>
    public const string Witness = EuidWitness.Name;

    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The layout folder.</summary>
    public static string Layout => Folder.Value;

    /// <summary>qus-test's <c>--guest-image</c> naming it.</summary>
    public static string Reference => $"oci:{Layout}:{Tag}";

    private static string Build()
    {
        var witness = EuidWitness.BuildAsync("aarch64-linux-gnu").GetAwaiter().GetResult();
        BusyboxPlatform[] images =
        [
            new(Tag, new OciPlatform("linux", "arm64"), PackageFixtures.DebianPackage("busybox-static", "arm64"),
                [LayerFile.FromBytes($"usr/bin/{Witness}", witness, ReproducibleTar.Executable)]),
        ];
        var folder = Path.Combine(PackageFixtures.CacheRoot, "guest-arm64-" + BusyboxImage.Key(images, null));
        return BusyboxImage.WriteAsync(folder, images, null).GetAwaiter().GetResult();
    }
}
