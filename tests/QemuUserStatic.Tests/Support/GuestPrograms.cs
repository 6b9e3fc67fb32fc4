using System.Security.Cryptography;
using QemuUserStatic.Guests;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// The guest set of <see cref="GuestTable"/> as qus-test's <c>--guests</c> folder: Debian's busybox-static of each
/// listed architecture and suite, and the hello cross-compiled by Debian 12's cross compilers (tests/prepare-machine
/// installs them), one file per target. Cached in <c>.fixtures/</c>, never committed.
/// </summary>
public static class GuestPrograms
{
    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The folder.</summary>
    public static string Path => Folder.Value;

    private static string Build()
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(GuestTable.ToLines() + GuestTable.HelloSource)))[..12];
        return PackageFixtures.CachedFolder("guests-" + key, folder =>
        {
            Directory.CreateDirectory(folder);
            var source = System.IO.Path.Combine(folder, "hello.c");
            File.WriteAllText(source, GuestTable.HelloSource);
            foreach (var guest in GuestTable.All)
            {
                var file = System.IO.Path.Combine(folder, guest.Target);
                if (guest.Kind == GuestKind.Busybox)
                {
                    // bookworm ships /bin/busybox, trixie and sid /usr/bin/busybox (merged /usr).
                    var root = PackageFixtures.DebianPackageRoot("busybox-static", guest.Source, guest.Suite);
                    var busybox = new[] { "usr/bin/busybox", "bin/busybox" }.Select(p => System.IO.Path.Combine(root, p)).First(File.Exists);
                    File.Copy(busybox, file);
                }
                else
                {
                    ToolProcess.ShellOrThrow($"{guest.Source}-gcc -static -Os -s {string.Join(' ', guest.Flags)} -o '{file}' '{source}'");
                }
            }

            File.Delete(source);
            ToolProcess.ShellOrThrow($"chmod 755 '{folder}'/*");
        });
    }
}
