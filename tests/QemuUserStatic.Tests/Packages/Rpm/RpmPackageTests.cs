using QemuUserStatic.Archives;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Rpm;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Packages.Rpm;

/// <summary>The C# RPM reader against real RPMs built by rpmbuild, compared with rpm's own tools.</summary>
public class RpmPackageTests
{
    private static readonly string[] Split = ["aarch64", "arm", "riscv64"];

    [Test]
    public void Split_zstd_RPM_identity_matches_what_rpm_says()
    {
        foreach (var rpm in PackageFixtures.FedoraSplit(Split))
        {
            using var package = RpmPackage.Open(rpm);
            var rpmSays = ToolProcess.ShellOrThrow(
                $"rpm -qp --qf '%{{NAME}}|%{{VERSION}}|%{{RELEASE}}|%{{ARCH}}|%{{BUILDTIME}}|%{{PAYLOADCOMPRESSOR}}' '{rpm}'").Split('|');
            var identity = package.Identity;
            Assert.That(new[] { identity.Name, identity.Version, identity.Release, identity.Arch, identity.BuildTime.ToString(), package.PayloadCompressor },
                Is.EqualTo(rpmSays), rpm);
            Assert.That(identity.Sha256, Is.EqualTo(ToolProcess.ShellOrThrow($"sha256sum '{rpm}'")[..64]));
            Assert.That(identity.Size, Is.EqualTo(new FileInfo(rpm).Length));
            Assert.That(identity.Format, Is.EqualTo(PackageFormat.Rpm));
            Assert.That(package.Files.Select(f => "/" + f.Path), Is.EqualTo(ToolProcess.ShellOrThrow($"rpm -qlp '{rpm}'").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    [Test]
    public void Split_zstd_RPM_entries_are_byte_identical_to_rpm2cpio_zstdcat_cpio()
    {
        foreach (var rpm in PackageFixtures.FedoraSplit(Split))
        {
            AssertSameAsReference(rpm, expectedFiles: 2);
        }
    }

    [Test]
    public void Old_single_xz_RPM_entries_are_byte_identical_to_the_reference()
    {
        var rpm = PackageFixtures.FedoraSingle(["aarch64", "s390x"]);
        using (var package = RpmPackage.Open(rpm))
        {
            Assert.That(package.PayloadCompressor, Is.EqualTo("xz"));
        }

        AssertSameAsReference(rpm, expectedFiles: 2);
    }

    [TestCase("w9.gzdio", "gzip")]
    [TestCase("w9.bzdio", "bzip2")]
    [TestCase("w0.ufdio", "none")]
    public void Other_payload_compressors_read_like_the_reference(string payload, string compressor)
    {
        var rpm = PackageFixtures.FedoraSplit(["s390x"], payload: payload).Single();
        using (var package = RpmPackage.Open(rpm))
        {
            Assert.That(package.PayloadCompressor, Is.EqualTo(compressor));
            Assert.That(Decompression.IsKnown(package.PayloadCompressor), package.PayloadCompressor);
        }

        AssertSameAsReference(rpm, expectedFiles: 2);
    }

    [Test]
    public void Verify_reads_everything_and_returns_the_identity()
    {
        var rpm = PackageFixtures.FedoraSplit(Split)[0];
        var identity = RpmPackage.Verify(rpm);
        Assert.That(identity.Name, Is.EqualTo("qemu-user-static-aarch64"));
        Assert.That(PackageFile.Verify(rpm), Is.EqualTo(identity));
    }

    [Test]
    public void The_header_digest_the_reader_checks_is_the_one_rpm_stores()
    {
        var rpm = PackageFixtures.FedoraSplit(Split)[0];
        using var package = RpmPackage.Open(rpm);
        var stored = ToolProcess.ShellOrThrow($"rpm -qp --qf '%{{SHA256HEADER}}' '{rpm}'");
        Assert.That(package.Signature.GetString(RpmSignatureTag.Sha256), Is.EqualTo(stored));
        Assert.That(QemuUserStatic.Common.Sha256Hex.Of(package.Header.Bytes), Is.EqualTo(stored));
        Assert.That(package.Header.GetStrings(RpmTag.PayloadDigest)![0],
            Is.EqualTo(ToolProcess.ShellOrThrow($"rpm -qp --qf '[%{{PAYLOADDIGEST}}]' '{rpm}'")));
    }

    private static void AssertSameAsReference(string rpm, int expectedFiles)
    {
        using var temp = new TempDir("rpm-reference");
        var reference = ReferenceExtraction.RegularFiles(ReferenceExtraction.Rpm(rpm, temp["root"]));
        using var package = RpmPackage.Open(rpm);
        var ours = new Dictionary<string, string>();
        foreach (var entry in package.ReadEntries())
        {
            if (entry.Type == ArchiveEntryType.RegularFile)
            {
                entry.Content.ReadToEnd();
                Assert.That(entry.Content.Verified, Is.True, $"{entry.Path} checked against FILEDIGESTS");
                ours[entry.Path] = entry.Content.Sha256!;
            }
        }

        Assert.That(ours, Is.EquivalentTo(reference), rpm);
        Assert.That(ours.Keys.Count(k => k.StartsWith("usr/bin/qemu-", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(1));
        Assert.That(ours, Has.Count.GreaterThanOrEqualTo(expectedFiles - 1));
    }
}
