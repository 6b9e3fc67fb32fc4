using System.Globalization;
using QemuUserStatic.Archives;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Deb;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Packages.Deb;

/// <summary>The C# .deb reader against Debian's real packages, compared with dpkg-deb.</summary>
public class DebPackageTests : TempDirTest
{
    [Test]
    public void Debian_qemu_user_static_reads_like_dpkg_deb_extracts_it()
    {
        var deb = PackageFixtures.DebianDeb("amd64");
        var root = PackageFixtures.DebianPackageRoot("qemu-user-static", "amd64");
        using var package = DebPackage.Open(deb);
        var fields = ToolProcess.ShellOrThrow($"dpkg-deb -f '{deb}' Package Version Architecture");
        Assert.That(fields, Does.Contain($"Package: {package.Identity.Name}\n").And.Contain($"Version: {package.Identity.FullVersion}\n")
            .And.Contain($"Architecture: {package.Identity.Arch}\n"));
        Assert.That(package.Identity.Epoch, Is.EqualTo("1"));
        Assert.That(package.DataCompression, Is.EqualTo("xz"));

        var files = new Dictionary<string, string>();
        var links = new Dictionary<string, string>();
        var checkedByMd5sums = 0;
        foreach (var entry in package.ReadEntries())
        {
            if (entry.Type == ArchiveEntryType.RegularFile)
            {
                entry.Content.ReadToEnd();
                files[entry.Path] = entry.Content.Sha256!;
                checkedByMd5sums += entry.Content.Verified ? 1 : 0;
            }
            else if (entry.Type == ArchiveEntryType.SymbolicLink)
            {
                links[entry.Path] = entry.LinkTarget!;
            }
        }

        Assert.That(files, Is.EquivalentTo(ReferenceExtraction.RegularFiles(root)));
        Assert.That(links, Is.EquivalentTo(ReferenceExtraction.SymbolicLinks(root)));
        Assert.That(files.Keys.Count(k => QemuLayout.EmulatorName(k) is not null), Is.EqualTo(35));
        var md5sumsLines = int.Parse(ToolProcess.ShellOrThrow($"dpkg-deb -I '{deb}' md5sums | wc -l").Trim(), CultureInfo.InvariantCulture);
        Assert.That(checkedByMd5sums, Is.EqualTo(md5sumsLines), "every file md5sums lists was checked");
    }

    [Test]
    public void Build_time_is_the_data_member_mtime_dpkg_deb_stamped_on_every_file()
    {
        var deb = PackageFixtures.DebianPackage("busybox-static", "arm64");
        using var package = DebPackage.Open(deb);
        var stamp = ToolProcess.ShellOrThrow($"dpkg-deb --fsys-tarfile '{deb}' | tar --full-time -tvf - ./bin/busybox",
            new Dictionary<string, string?> { ["TZ"] = "UTC" }).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mtime = DateTimeOffset.Parse($"{stamp[3]}T{stamp[4]}Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.That(package.Identity.BuildTime, Is.EqualTo(mtime));
        Assert.That(package.Identity.Arch, Is.EqualTo("arm64"));
        Assert.That(package.Identity.Sha256, Is.EqualTo(ToolProcess.ShellOrThrow($"sha256sum '{deb}'")[..64]));
    }

    [TestCase("zstd")]
    [TestCase("gzip")]
    [TestCase("none")]
    public void Data_tar_compressed_by_dpkg_deb_with_another_compressor_reads_the_same(string compressor)
    {
        var deb = Repack(compressor, change: null);
        using var package = DebPackage.Open(deb);
        Assert.That(package.DataCompression, Is.EqualTo(compressor));
        string? sha256 = null;
        foreach (var entry in package.ReadEntries().Where(e => e.Path == "bin/busybox"))
        {
            entry.Content.ReadToEnd();
            Assert.That(entry.Content.Verified, Is.True, "checked against md5sums");
            sha256 = entry.Content.Sha256;
        }

        Assert.That(sha256, Is.EqualTo(ReferenceExtraction.RegularFiles(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"))["bin/busybox"]));
    }

    [Test]
    public void Changed_file_content_is_caught_by_md5sums()
    {
        var deb = Repack("xz", change: "bin/busybox");
        var error = Assert.Throws<UserException>(() => DebPackage.Verify(deb))!;
        Assert.That(error.Message, Does.StartWith($"{deb}: bin/busybox: MD5 digest mismatch: md5sums says "));
    }

    [Test]
    public void Truncated_deb_is_reported_as_truncated()
    {
        var bytes = File.ReadAllBytes(PackageFixtures.DebianPackage("busybox-static", "arm64"));
        var deb = Temp["truncated.deb"];
        File.WriteAllBytes(deb, bytes[..(bytes.Length * 3 / 4)]);
        var error = Assert.Throws<UserException>(() => DebPackage.Verify(deb))!;
        Assert.That(error.Message, Does.StartWith($"{deb}: truncated"));
    }

    [Test]
    public void An_ar_archive_that_is_no_debian_package_is_refused()
    {
        File.WriteAllText(Temp["hello"], "hello\n");
        ToolProcess.ShellOrThrow("ar rc archive.a hello", workingDirectory: Temp.Path);
        var error = Assert.Throws<UserException>(() => PackageFile.Open(Temp["archive.a"]))!;
        Assert.That(error.Message, Is.EqualTo($"{Temp["archive.a"]}: not a Debian package (the first ar member is not debian-binary 2.x)"));
    }

    [TestCase("1:7.2+dfsg-7+deb12u18+b3", "1", "7.2+dfsg", "7+deb12u18+b3")]
    [TestCase("2.0-1-2", null, "2.0-1", "2")]
    [TestCase("1.35.0", null, "1.35.0", "")]
    public void Debian_versions_split_like_dpkg(string text, string? epoch, string upstream, string revision)
    {
        Assert.That(DebianVersion.Parse(text), Is.EqualTo(new DebianVersion(epoch, upstream, revision)));
        Assert.That(DebianVersion.Parse(text).ToString(), Is.EqualTo(text));
    }

    /// <summary>Debian's busybox-static re-built by dpkg-deb with <paramref name="compressor"/>, optionally with a file changed behind md5sums' back.</summary>
    private string Repack(string compressor, string? change)
    {
        var root = Temp["root"];
        ToolProcess.ShellOrThrow($"dpkg-deb -R '{PackageFixtures.DebianPackage("busybox-static", "arm64")}' '{root}'");
        if (change is not null)
        {
            File.AppendAllText(Path.Combine(root, change), "changed");
        }

        var deb = Temp[$"busybox-{compressor}.deb"];
        ToolProcess.ShellOrThrow($"dpkg-deb --root-owner-group -Z{compressor} -b '{root}' '{deb}' >/dev/null");
        return deb;
    }
}
