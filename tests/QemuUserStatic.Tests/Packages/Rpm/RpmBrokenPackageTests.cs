using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Rpm;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Packages.Rpm;

/// <summary>Every way a real RPM can be broken ends in one user error that names the file and the problem.</summary>
public class RpmBrokenPackageTests : TempDirTest
{
    /// <summary>Broken package makers and the problem each must be refused with.</summary>
    public static IEnumerable<TestCaseData> Broken()
    {
        yield return Case(BrokenPackages.Truncated, "truncated: the signature header says", "truncated");
        yield return Case(BrokenPackages.HeaderByteFlipped, "header SHA256 digest mismatch: the signature header says", "header byte flipped");
        yield return Case(BrokenPackages.PayloadByteFlipped, "payload SHA256 digest mismatch: the header says", "payload byte flipped");
        yield return Case(BrokenPackages.DotDotEntry, "entry '../../bin/qemu-s390x-static' has a '..' component", "cpio name with ..");
        yield return Case(BrokenPackages.AbsoluteEntry, "entry '//usr/bin/qemu-s390x-static' has an absolute path", "absolute cpio name");
        yield return Case(BrokenPackages.PayloadSizeWrong, "uncompressed payload size mismatch: the signature header says", "payload size off by one");
    }

    [TestCaseSource(nameof(Broken))]
    public void Broken_RPM_is_refused(Func<string, string> make, string problem) => AssertRefused(make(Temp.Path), problem);

    [Test]
    public void Changed_file_content_is_caught_by_FILEDIGESTS_even_when_every_other_digest_was_recomputed()
    {
        var rpm = BrokenPackages.FileContentChanged(Temp.Path);
        // rpm itself finds the package's own digests in order: only the per-file digest can catch the change.
        Assert.That(ToolProcess.ShellOrThrow($"rpm -K --nosignature '{rpm}'"), Does.Contain("digests OK"));
        AssertRefused(rpm, "usr/bin/qemu-s390x-static: SHA256 digest mismatch: FILEDIGESTS says");
    }

    [Test]
    public void Unknown_compressor_is_refused_before_reading_the_payload()
    {
        var rpm = BrokenPackages.BogusCompressor(Temp.Path);
        Assert.That(ToolProcess.ShellOrThrow($"rpm -K --nosignature '{rpm}'"), Does.Contain("digests OK"));
        var error = Assert.Throws<UserException>(() => RpmPackage.Open(rpm))!;
        Assert.That(error.Message, Is.EqualTo($"{rpm}: unknown payload compressor 'zsxd' (known: zstd, xz, gzip, bzip2, none)"));
    }

    [Test]
    public void A_file_that_is_no_package_is_refused()
    {
        var file = BrokenPackages.NotAPackage(Temp.Path);
        Assert.That(Assert.Throws<UserException>(() => RpmPackage.Open(file))!.Message,
            Is.EqualTo($"{file}: not an RPM package (no RPM lead magic edabeedb)"));
        Assert.That(Assert.Throws<UserException>(() => PackageFile.Open(file))!.Message,
            Is.EqualTo($"{file}: not an RPM package, a .deb or a folder"));
    }

    private static TestCaseData Case(Func<string, string> make, string problem, string name) =>
        new TestCaseData(make, problem).SetArgDisplayNames(name);

    /// <summary>Verify (open and read everything) fails with one line naming the file and containing <paramref name="problem"/>.</summary>
    private static void AssertRefused(string rpm, string problem)
    {
        var error = Assert.Throws<UserException>(() => RpmPackage.Verify(rpm))!;
        Assert.That(error.Message, Does.StartWith(rpm + ": ").And.Contain(problem).And.Not.Contain("\n"));
    }
}
