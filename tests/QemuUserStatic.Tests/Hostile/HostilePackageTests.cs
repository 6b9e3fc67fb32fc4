using System.Text;
using QemuUserStatic.Packages.Rpm;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Hostile;

/// <summary>
/// Issue 16, classes 2 and 3: small packages that declare gigabytes (a long name, a PAX header, an xz dictionary, a
/// zstd window, many md5sums) and values past what the code can represent (counts of 2^31-1, sizes of 10^23, times
/// past the year 9999). Each is made here, run through the real qus-tarballs under GNU time, and must give one
/// error line naming the package and the limit, exit 1, no output folder, and a peak memory far below what it
/// declares.
/// </summary>
public class HostilePackageTests : TempDirTest
{
    private const long PeakLimitKiB = 200 * 1024;

    [Test]
    public void Deb_with_a_512_MiB_GNU_long_name() =>
        AssertRefused(Deb("long-name.deb", data: new RawTar().Declared('L', 512L << 20, new byte[16 << 10]).ToArrayWithoutEnd()),
            "long-name.deb: the GNU long name at offset 0 declares 536870912 bytes, more than the limit of 4097");

    [Test]
    public void Deb_with_a_1_GiB_PAX_header_in_data_tar() =>
        AssertRefused(Deb("pax-data.deb", data: new RawTar().Declared('x', 1L << 30, new byte[32 << 10]).ToArrayWithoutEnd()),
            "pax-data.deb: the PAX header at offset 0 declares 1073741824 bytes, more than the limit of 65536");

    [Test]
    public void Deb_with_a_1_GiB_PAX_header_in_control_tar() =>
        AssertRefused(Deb("pax-control.deb", control: new RawTar().Declared('x', 1L << 30, new byte[32 << 10]).ToArrayWithoutEnd()),
            "pax-control.deb: the PAX header at offset 0 declares 1073741824 bytes, more than the limit of 65536");

    [Test]
    public void Deb_with_a_PAX_size_of_10_to_the_23() =>
        AssertRefused(
            Deb("pax-size.deb", data: new RawTar().Pax(("size", "100000000000000000000000")).File("./usr/bin/qemu-aarch64-static", DebBuilder.Emulator).ToArray()),
            "pax-size.deb: tar entry at offset 1024 has a PAX size that is not a number of bytes below 2^63");

    [Test]
    public void Deb_with_a_GNU_sparse_entry() =>
        AssertRefused(
            Deb("sparse.deb", data: new RawTar().Directory("./usr/").File("./usr/bin/qemu-aarch64-static", DebBuilder.Emulator, type: 'S').ToArray()),
            "sparse.deb: tar entry at offset 512 is a GNU sparse file, which packages do not use");

    [Test]
    public void Deb_with_200_md5sums_members()
    {
        var md5sums = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"{new string('0', 32)}  usr/bin/qemu-aarch64-static\n", 8000)));
        var control = new RawTar().File("./control", Encoding.ASCII.GetBytes(DebBuilder.Control));
        for (var i = 0; i < 200; i++)
        {
            control.File("./md5sums", md5sums);
        }

        AssertRefused(Deb("md5sums.deb", control: control.ToArray()), "md5sums.deb: control.tar.gz has 'md5sums' twice");
    }

    [Test]
    public void Deb_with_a_4_MiB_md5sums() =>
        AssertRefused(
            Deb("big-md5sums.deb", control: new RawTar().File("./control", Encoding.ASCII.GetBytes(DebBuilder.Control)).File("./md5sums", new byte[4 << 20]).ToArray()),
            "big-md5sums.deb: control member 'md5sums' declares 4194304 bytes, more than the limit of 1048576");

    [Test]
    public void Deb_with_a_control_tar_of_many_entries()
    {
        var control = new RawTar().File("./control", Encoding.ASCII.GetBytes(DebBuilder.Control));
        for (var i = 0; i < 100; i++)
        {
            control.File($"./script{i}", "#!/bin/sh\n"u8.ToArray());
        }

        AssertRefused(Deb("many.deb", control: control.ToArray()), "many.deb: control.tar.gz has more than 64 entries");
    }

    [Test]
    public void Deb_with_an_ar_mtime_of_999999999999() =>
        AssertRefused(DebBuilder.Write(Temp["mtime.deb"], dataMtime: 999999999999),
            "mtime.deb: the mtime of ar member 'data.tar.gz' 999999999999 is not a time between 1970 and 2242");

    [TestCase(RpmTag.BaseNames, "basenames.rpm")]
    [TestCase(RpmTag.DirNames, "dirnames.rpm")]
    public void Rpm_whose_file_lists_claim_2_to_the_31_minus_1_names(int tag, string name) =>
        AssertRefused(
            RpmSurgery.Craft(BrokenPackages.ZstdRpm, Temp[name], editHeader: header => RpmSurgery.SetIndex(header, Header(BrokenPackages.ZstdRpm), tag, count: int.MaxValue)),
            $"{name}: tag {tag} claims 2147483647 values, more than the limit of 65536");

    [Test]
    public void Rpm_with_a_BUILDTIME_of_10_to_the_14() =>
        AssertRefused(
            RpmSurgery.Craft(BrokenPackages.ZstdRpm, Temp["buildtime.rpm"],
                editHeader: header => RpmSurgery.SetInt64(header, Header(BrokenPackages.ZstdRpm), RpmTag.BuildTime, 100_000_000_000_000)),
            "buildtime.rpm: BUILDTIME 100000000000000 is not a time between 1970 and 2242");

    [Test]
    public void Rpm_whose_xz_payload_declares_a_1_GiB_dictionary()
    {
        var rpm = PackageFixtures.FedoraSingle(["aarch64", "s390x"]);
        AssertRefused(RpmSurgery.Craft(rpm, Temp["xz-dictionary.rpm"], editPayload: payload => CompressedHeaders.SetXzDictionary(payload, 30)),
            "xz-dictionary.rpm: xz: the stream needs", "than the limit 128 MiB");
    }

    [Test]
    public void Rpm_whose_zstd_payload_declares_a_128_MiB_window() =>
        AssertRefused(RpmSurgery.Craft(BrokenPackages.ZstdRpm, Temp["zstd-window.rpm"], editPayload: payload => CompressedHeaders.SetZstdWindow(payload, 27)),
            "zstd-window.rpm: zstd: the stream needs a window larger than the limit of 32 MiB");

    private static RpmHeader Header(string rpm)
    {
        using var package = RpmPackage.Open(rpm);
        return package.Header;
    }

    private string Deb(string name, byte[]? control = null, byte[]? data = null) => DebBuilder.Write(Temp[name], control, data);

    private void AssertRefused(string package, params string[] problems)
    {
        var output = Temp["out"];
        var (result, maxRss) = PeakMemory.RunTool("Qus.Tarballs", ["--input", package, "--output", output],
            new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = null });
        foreach (var problem in problems)
        {
            OneLineError.Check(result, "qus-tarballs", problem);
        }

        Assert.That(maxRss, Is.LessThan(PeakLimitKiB), "peak RSS in KiB");
        Assert.That(Directory.Exists(output), Is.False, "no output folder is left behind");
    }
}
