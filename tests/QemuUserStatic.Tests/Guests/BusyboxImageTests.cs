using QemuUserStatic.Archives;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Guests;
using QemuUserStatic.Oci;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Guests;

/// <summary>
/// The busybox layouts tools/run-pipeline and the tests make (<see cref="BusyboxImage"/>), from Debian's real
/// busybox-static, read back by umoci, skopeo and tar: independent OCI and tar implementations.
/// </summary>
public class BusyboxImageTests : TempDirTest
{
    private static BusyboxPlatform[] TwoPlatforms(IReadOnlyList<LayerFile>? extra = null) =>
    [
        new("x86_64", new OciPlatform("linux", "amd64"), PackageFixtures.DebianPackage("busybox-static", "amd64"), extra ?? []),
        new("aarch64", new OciPlatform("linux", "arm64", "v8"), PackageFixtures.DebianPackage("busybox-static", "arm64"), extra ?? []),
    ];

    [Test]
    public async Task Each_platform_is_an_image_of_busybox_and_its_applets_with_an_index_over_them()
    {
        var layout = await BusyboxImage.WriteAsync(Temp["layout"], TwoPlatforms(), "latest");

        var index = OciInspect.Raw($"oci:{layout}:latest").Json;
        var bundle = Temp["bundle"];
        ToolProcess.ShellOrThrow($"umoci unpack --rootless --image '{layout}:aarch64' '{bundle}' >/dev/null");
        var rootfs = Path.Combine(bundle, "rootfs");
        var config = OciInspect.Config($"oci:{layout}:aarch64");
        Assert.Multiple(() =>
        {
            Assert.That(OciInspect.Tags(layout).Keys, Is.EquivalentTo(new[] { "x86_64", "aarch64", "latest" }));
            Assert.That(index["manifests"]!.AsArray().Select(m => m!["platform"]!.ToJsonString()),
                Is.EqualTo(new[] { "{\"os\":\"linux\",\"architecture\":\"amd64\"}", "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}" }));
            Assert.That((config["architecture"]!.GetValue<string>(), config["variant"]!.GetValue<string>()), Is.EqualTo(("arm64", "v8")));
            Assert.That(config["config"]!["Cmd"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "sh" }));
            Assert.That(config["config"]!["Env"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "PATH=/usr/bin:/bin" }));
            Assert.That(File.ReadAllBytes(Path.Combine(rootfs, "bin", "busybox")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"))),
                "the package's own program, as dpkg-deb extracts it");
            foreach (var applet in BusyboxImage.Applets)
            {
                Assert.That(new FileInfo(Path.Combine(rootfs, "bin", applet)).LinkTarget, Is.EqualTo("busybox"), applet);
            }

            Assert.That(Directory.Exists(Path.Combine(rootfs, "usr", "bin")) && Directory.Exists(Path.Combine(rootfs, "tmp")), Is.True);
            var run = ToolProcess.Run("/usr/bin/qemu-aarch64-static", [Path.Combine(rootfs, "bin", "busybox"), "uname", "-m"]);
            Assert.That(run.StandardOutput, Is.EqualTo("aarch64\n"), run.ToString());
        });
    }

    [Test]
    public async Task The_same_packages_give_the_same_bytes_and_the_key_names_what_it_is_made_of()
    {
        var witness = LayerFile.FromBytes($"usr/bin/{EuidWitness.Name}", "#!/bin/sh\nid -u\n"u8.ToArray(), ReproducibleTar.Executable);
        var first = await BusyboxImage.WriteAsync(Temp["first"], TwoPlatforms(), "latest");
        var second = await BusyboxImage.WriteAsync(Temp["second"], TwoPlatforms(), "latest");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(second, "index.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, "index.json"))));
            Assert.That(Directory.GetFiles(Path.Combine(second, "blobs", "sha256")).Select(Path.GetFileName),
                Is.EquivalentTo(Directory.GetFiles(Path.Combine(first, "blobs", "sha256")).Select(Path.GetFileName)));
            Assert.That(Directory.GetDirectories(Temp.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "first", "second" }), "no staging folder left");
            Assert.That(BusyboxImage.Key(TwoPlatforms(), "latest"), Does.Match("^[0-9a-f]{12}$"));
            Assert.That(BusyboxImage.Key(TwoPlatforms([witness]), "latest"), Is.Not.EqualTo(BusyboxImage.Key(TwoPlatforms(), "latest")));
            Assert.That(BusyboxImage.Key(TwoPlatforms(), null), Is.Not.EqualTo(BusyboxImage.Key(TwoPlatforms(), "latest")));
        });
    }

    [Test]
    public async Task An_extra_file_is_in_the_image_and_a_layout_already_there_is_kept()
    {
        BusyboxPlatform[] guest = [TwoPlatforms()[1] with { Tag = "guest", Extra = [LayerFile.FromBytes($"usr/bin/{EuidWitness.Name}", "witness"u8.ToArray(), ReproducibleTar.Executable)] }];
        var layout = await BusyboxImage.WriteAsync(Temp["guest"], guest, null);
        var written = File.GetLastWriteTimeUtc(Path.Combine(layout, "index.json"));

        var again = await BusyboxImage.WriteAsync(Temp["guest"], guest, null);
        var layer = OciInspect.Blob(layout, OciInspect.Layers(OciInspect.Raw($"oci:{layout}:guest").Json).Single());
        var listing = ToolProcess.ShellOrThrow($"tar -tvzf '{layer}'");
        Assert.Multiple(() =>
        {
            Assert.That(OciInspect.Tags(layout).Keys, Is.EqualTo(new[] { "guest" }));
            Assert.That(listing, Does.Contain("-rwxr-xr-x root/root         7 1970-01-01 00:00 usr/bin/qus-euid"));
            Assert.That(listing, Does.Contain("lrwxr-xr-x root/root         0 1970-01-01 00:00 bin/sh -> busybox"));
            Assert.That(again, Is.EqualTo(layout));
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(layout, "index.json")), Is.EqualTo(written));
        });
    }

    [Test]
    public void A_package_without_busybox_is_one_error_naming_it()
    {
        var deb = PackageFixtures.DebianPackage("binfmt-support", "amd64");

        var error = Assert.Throws<UserException>(() => BusyboxImage.ReadProgram(deb))!;

        Assert.That(error.Message, Is.EqualTo($"{deb}: no bin/busybox or usr/bin/busybox in the package"));
    }
}
