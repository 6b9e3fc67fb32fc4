using System.Formats.Tar;
using System.Runtime.Versioning;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Oci;
using QemuUserStatic.Sandbox;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Acceptance;

/// <summary>
/// The sandbox's layer unpacking on real tar streams: whiteouts and opaque folders as the OCI image spec applies
/// them, links that must not lead out of the folder, setuid modes and owners kept, layers checked against their digest.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RootFilesystemTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private static readonly DateTimeOffset Mtime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Test]
    public void AppliesWhiteoutsAndOpaqueFoldersOfUpperLayersToLowerOnes()
    {
        using var work = new TempDir("qus-rootfs");
        var root = work["root"];
        Directory.CreateDirectory(root);
        Apply(root, Folder("a/"), File("a/keep", "k"), File("a/gone", "g"), Folder("b/"), File("b/old", "o"), File("c", "c"));
        Apply(root, File("a/.wh.gone", ""), Folder("b/"), File("b/new", "n"), File("b/.wh..wh..opq", ""), File("c/.wh.nothing", ""));

        Assert.Multiple(() =>
        {
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "a/keep")), Is.EqualTo("k"));
            Assert.That(Path.Exists(Path.Combine(root, "a/gone")), Is.False, "a whiteout deletes the lower layer's file");
            Assert.That(Path.Exists(Path.Combine(root, "b/old")), Is.False, "an opaque folder hides the lower layers' content");
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "b/new")), Is.EqualTo("n"), "but keeps its own layer's, even listed before the marker");
            Assert.That(Directory.EnumerateFileSystemEntries(root, ".wh.*", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public void NoEntryWritesOutsideTheFolderWhateverItsLinksSay()
    {
        using var work = new TempDir("qus-rootfs");
        var root = work["root"];
        Directory.CreateDirectory(root);
        var outside = work["outside"];
        Apply(root,
            Link("up", "../../../outside"),
            Link("absolute", outside),
            Link("loop", "loop"),
            File("up/relative", "r"),
            File("absolute/absolute", "a"),
            File("x/../../../outside/dotdot", "d"));

        Assert.Multiple(() =>
        {
            Assert.That(Path.Exists(outside), Is.False, "nothing was written beside the folder");
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "outside/relative")), Is.EqualTo("r"), "a relative link stops at the top");
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, outside.TrimStart('/'), "absolute")), Is.EqualTo("a"), "an absolute link starts at the top");
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "outside/dotdot")), Is.EqualTo("d"));
            Assert.That(() => PathInRoot.Resolve(root, "loop/x"), Throws.InstanceOf<IOException>().With.Message.Contains("too many levels"));
        });
    }

    [Test]
    public void KeepsSetuidModesLinksAndHardLinksAndSetsOwnersThroughTheMap()
    {
        using var work = new TempDir("qus-rootfs");
        var root = work["root"];
        Directory.CreateDirectory(root);
        var setuid = File("bin/su", "su");
        setuid.Mode = (UnixFileMode)0b100_111_101_101;
        setuid.Uid = 0;
        var owned = File("home/user/file", "mine");
        owned.Uid = 1000;
        owned.Gid = 1000;
        var hard = new PaxTarEntry(TarEntryType.HardLink, "bin/su-again") { LinkName = "bin/su", Mode = setuid.Mode };

        Apply(root, (uid, gid) => (uid + 50_000, gid + 60_000), setuid, owned, Link("bin/sh", "su"), hard);

        Assert.Multiple(() =>
        {
            Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(root, "bin/su")).HasFlag(UnixFileMode.SetUser), Is.True, "chown before chmod keeps setuid");
            Assert.That(new FileInfo(Path.Combine(root, "bin/sh")).LinkTarget, Is.EqualTo("su"));
            Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "bin/su-again")), Is.EqualTo("su"));
            Assert.That(Owner(Path.Combine(root, "bin/su")), Is.EqualTo("50000:60000"));
            Assert.That(Owner(Path.Combine(root, "home/user/file")), Is.EqualTo("51000:61000"));
            Assert.That(Owner(Path.Combine(root, "bin/sh")), Is.EqualTo("50000:60000"), "links get owners too (lchown)");
        });
    }

    [Test]
    public void TakesTheEndOfTheStreamAsTheEndOfALayerWithoutZeroBlocks()
    {
        using var work = new TempDir("qus-rootfs");
        var root = work["root"];
        Directory.CreateDirectory(root);
        var tar = Tar(File("etc/hostname", "guest"));
        var cut = new MemoryStream(tar.ToArray()[..^1024]);

        RootFilesystem.Apply(cut, root, null, CancellationToken.None);

        Assert.That(System.IO.File.ReadAllText(Path.Combine(root, "etc/hostname")), Is.EqualTo("guest"));
    }

    [Test]
    public async Task ChecksEveryLayerAgainstItsDigest()
    {
        using var work = new TempDir("qus-rootfs");
        var layout = await OciLayout.CreateAsync(work["layout"]);
        var good = await Layer.WriteAsync(layout, [LayerFile.FromBytes("usr/bin/tool", "real"u8.ToArray(), Executable)], Mtime, CancellationToken.None);
        var other = await Layer.WriteAsync(layout, [LayerFile.FromBytes("usr/bin/tool", "fake"u8.ToArray(), Executable)], Mtime, CancellationToken.None);
        var image = new PlatformImage(
            "test", good.Blob,
            new ImageConfig { Architecture = "amd64", Os = "linux", RootFs = new RootFs { DiffIds = [good.DiffId] } },
            [good.Blob], layout);

        await RootFilesystem.UnpackAsync(image, work["unpacked"], null, CancellationToken.None);
        // A valid layer, but not the one the manifest names: only its digest can tell.
        System.IO.File.Copy(layout.BlobPath(other.Blob.Digest), layout.BlobPath(good.Blob.Digest), overwrite: true);

        Assert.Multiple(() =>
        {
            Assert.That(System.IO.File.ReadAllText(work["unpacked/usr/bin/tool"]), Is.EqualTo("real"));
            Assert.That(async () => await RootFilesystem.UnpackAsync(image, work["tampered"], null, CancellationToken.None),
                Throws.InstanceOf<UserException>().With.Message.Contains($"does not match its digest {good.Blob.Digest}"));
        });
        Assert.That(new OciPlatform("linux", "amd64").Matches(image.Config.Platform), Is.True);
    }

    private static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100 };

    private static PaxTarEntry Folder(string name) => new(TarEntryType.Directory, name) { Mode = Executable };

    private static PaxTarEntry Link(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static MemoryStream Tar(params PaxTarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static void Apply(string root, params PaxTarEntry[] entries) => Apply(root, null, entries);

    private static void Apply(string root, Func<long, long, (long Uid, long Gid)?>? owners, params PaxTarEntry[] entries) =>
        RootFilesystem.Apply(Tar(entries), root, owners, CancellationToken.None);

    private static string Owner(string path) => ToolProcess.ShellOrThrow($"stat -c %u:%g '{path}'").Trim();
}
