using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Rpm;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Rpm;

/// <summary>Every way a real RPM can be broken ends in one user error that names the file and the problem.</summary>
public class RpmBrokenPackageTests
{
    private TempDir temp = null!;

    [SetUp]
    public void SetUp() => temp = new TempDir("rpm-broken");

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public void Truncated_RPM_is_reported_as_truncated() =>
        AssertRefused(BrokenPackages.Truncated(temp.Path), "truncated: the signature header says");

    [Test]
    public void Flipped_header_byte_is_a_header_digest_mismatch() =>
        AssertRefused(BrokenPackages.HeaderByteFlipped(temp.Path), "header SHA256 digest mismatch: the signature header says");

    [Test]
    public void Flipped_payload_byte_is_a_payload_digest_mismatch() =>
        AssertRefused(BrokenPackages.PayloadByteFlipped(temp.Path), "payload SHA256 digest mismatch: the header says");

    [Test]
    public void Changed_file_content_is_caught_by_FILEDIGESTS_even_when_every_other_digest_was_recomputed()
    {
        var rpm = BrokenPackages.FileContentChanged(temp.Path);
        // rpm itself finds the package's own digests in order: only the per-file digest can catch the change.
        Assert.That(ToolProcess.ShellOrThrow($"rpm -K --nosignature '{rpm}'"), Does.Contain("digests OK"));
        AssertRefused(rpm, "usr/bin/qemu-s390x-static: SHA256 digest mismatch: FILEDIGESTS says");
    }

    [Test]
    public void Unknown_compressor_is_refused_before_reading_the_payload()
    {
        var rpm = BrokenPackages.BogusCompressor(temp.Path);
        Assert.That(ToolProcess.ShellOrThrow($"rpm -K --nosignature '{rpm}'"), Does.Contain("digests OK"));
        var error = Assert.Throws<UserException>(() => RpmPackage.Open(rpm))!;
        Assert.That(error.Message, Is.EqualTo($"{rpm}: unknown payload compressor 'zsxd' (known: zstd, xz, gzip, bzip2, none)"));
    }

    [Test]
    public void Cpio_entry_with_dotdot_is_refused() =>
        AssertRefused(BrokenPackages.DotDotEntry(temp.Path), "entry '../../bin/qemu-s390x-static' has a '..' component");

    [Test]
    public void Cpio_entry_with_an_absolute_path_is_refused() =>
        AssertRefused(BrokenPackages.AbsoluteEntry(temp.Path), "entry '//usr/bin/qemu-s390x-static' has an absolute path");

    [Test]
    public void A_file_that_is_no_package_is_refused()
    {
        var file = BrokenPackages.NotAPackage(temp.Path);
        Assert.That(Assert.Throws<UserException>(() => RpmPackage.Open(file))!.Message,
            Is.EqualTo($"{file}: not an RPM package (no RPM lead magic edabeedb)"));
        Assert.That(Assert.Throws<UserException>(() => PackageSource.Open(file))!.Message,
            Is.EqualTo($"{file}: not an RPM package, a .deb or a folder"));
    }

    /// <summary>Verify (open and read everything) fails with one line naming the file and containing <paramref name="problem"/>.</summary>
    private static void AssertRefused(string rpm, string problem)
    {
        var error = Assert.Throws<UserException>(() => RpmPackage.Verify(rpm))!;
        Assert.That(error.Message, Does.StartWith(rpm + ": ").And.Contain(problem).And.Not.Contain("\n"));
    }
}
