using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// Unverified input never looks verified: log and manifest.json say what was checked for each package, a package
/// that does not vouch for an emulator is refused, and --allow-unverified takes it only with the manifest saying so.
/// </summary>
public class QusTarballsVerificationTests : TempDirTest
{
    private const string Emulator = "usr/bin/qemu-riscv64-static";

    [Test]
    public void Deb_without_md5sums_is_refused() =>
        TarballsAssert.Fails(Temp, [Deb(md5sums: null)],
            $"{HandMadeDeb.FileName}: {Emulator}: no digest in the package vouches for it (the package carries no file digests); give --allow-unverified to take it anyway");

    [Test]
    public void Deb_whose_md5sums_does_not_list_the_emulator_is_refused() =>
        TarballsAssert.Fails(Temp, [Deb(md5sums: ["usr/share/doc/qemu-user-static/README"])],
            $"{HandMadeDeb.FileName}: {Emulator}: no digest in the package vouches for it (md5sums does not list it); give --allow-unverified to take it anyway");

    [Test]
    public void Deb_without_md5sums_taken_with_allow_unverified_says_so_in_log_and_manifest()
    {
        var output = Temp["out"];
        var result = TarballsTool.Run([Deb(md5sums: null)], output, ["--allow-unverified"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain(
            $"{HandMadeDeb.FileName}: UNVERIFIED (--allow-unverified): {Emulator} (the package carries no file digests) taken unchecked"));
        var manifest = ReleaseManifest.Load(output);
        var source = manifest.Sources.Single();
        Assert.That((manifest.AllowUnverified, source.Trust, source.Verified, source.Unverified),
            Is.EqualTo(((bool?)true, "unverified", Array.Empty<string>(), new[] { $"{Emulator} (the package carries no file digests)" })));
        Assert.That(manifest.Targets.Single().VerifiedBy, Is.Null);
        Assert.That(ManifestSchema.Errors(File.ReadAllText(Path.Combine(output, "manifest.json"))), Is.Empty);
    }

    [Test]
    public void Verified_deb_says_what_was_checked()
    {
        var output = Temp["out"];
        var result = TarballsTool.Run([Deb(md5sums: [Emulator])], output);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain($"{HandMadeDeb.FileName}: checks each file taken against md5sums MD5; a .deb carries no digest of itself"));
        Assert.That(result.StandardError, Does.Contain($"{HandMadeDeb.FileName}: verified: 1 files taken, each checked against md5sums MD5"));
        var manifest = ReleaseManifest.Load(output);
        var source = manifest.Sources.Single();
        Assert.That((manifest.AllowUnverified, source.Trust, source.Verified, source.Unverified),
            Is.EqualTo(((bool?)null, "verified", new[] { "each file taken against md5sums MD5" }, (IReadOnlyList<string>?)null)));
        Assert.That(manifest.Targets.Single().VerifiedBy, Is.EqualTo("md5sums MD5"));
        Assert.That(ManifestSchema.Errors(File.ReadAllText(Path.Combine(output, "manifest.json"))), Is.Empty);
    }

    [Test]
    public void Rpm_without_any_digest_is_refused() =>
        TarballsAssert.Fails(Temp, [RpmSurgery.WithoutDigests(BrokenPackages.PlainRpm, Temp["no-digests.rpm"])],
            "no-digests.rpm: no digest covers its header (no SHA256, SHA1 or MD5 in the signature header), so nothing vouches for its FILEDIGESTS; " +
            "give --allow-unverified to take it anyway");

    [Test]
    public void Rpm_without_any_digest_taken_with_allow_unverified_says_so()
    {
        var output = Temp["out"];
        var result = TarballsTool.Run([RpmSurgery.WithoutDigests(BrokenPackages.PlainRpm, Temp["no-digests.rpm"])], output, ["--allow-unverified"]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain("no-digests.rpm: UNVERIFIED (--allow-unverified): no digest covers its header"));
        var source = ReleaseManifest.Load(output).Sources.Single();
        Assert.That((source.Trust, source.Unverified), Is.EqualTo(("unverified", new[]
        {
            "usr/bin/qemu-s390x-static (the package carries no file digests)", "usr/lib/binfmt.d/qemu-s390x-static.conf (the package carries no file digests)",
        })));
        Assert.That(source.Verified, Is.EqualTo(new[] { "size (signature header)", "uncompressed payload size (signature header)" }),
            "what is left to check once every digest is gone");
    }

    [Test]
    public void Verified_rpm_lists_its_header_payload_and_file_digests()
    {
        var output = Temp["out"];
        var result = TarballsTool.Run([BrokenPackages.ZstdRpm], output);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var manifest = ReleaseManifest.Load(output);
        var source = manifest.Sources.Single();
        Assert.That(source.Trust, Is.EqualTo("verified"));
        Assert.That(source.Verified, Is.SupersetOf(new[]
        {
            "header SHA256 (signature header)", "size (signature header)", "payload SHA256 (PAYLOADDIGEST)", "each file taken against FILEDIGESTS SHA256",
        }));
        Assert.That(manifest.Targets.Select(t => t.VerifiedBy), Is.All.EqualTo("FILEDIGESTS SHA256"));
        Assert.That(result.StandardError, Does.Contain($"{Path.GetFileName(BrokenPackages.ZstdRpm)}: checks header SHA256 (signature header)"));
    }

    [Test]
    public void Folder_is_local_and_needs_no_option()
    {
        var folder = Temp["emulators"];
        Directory.CreateDirectory(folder);
        File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(folder, "qemu-riscv64-static"));
        var output = Temp["out"];
        var result = TarballsTool.Run([folder], output);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardError, Does.Contain("emulators: a local folder, taken as given: nothing in it to verify"));
        var manifest = ReleaseManifest.Load(output);
        var source = manifest.Sources.Single();
        Assert.That((manifest.AllowUnverified, source.Trust, source.Verified), Is.EqualTo(((bool?)null, "local", Array.Empty<string>())));
        Assert.That(manifest.Targets.Single().VerifiedBy, Is.Null);
    }

    /// <summary>A .deb of the machine's qemu-riscv64-static and a README, with md5sums listing <paramref name="md5sums"/> (none: no md5sums).</summary>
    private string Deb(IEnumerable<string>? md5sums) =>
        HandMadeDeb.Build(Temp.Path, root =>
        {
            File.Copy("/usr/bin/qemu-riscv64-static", Path.Combine(root, Emulator));
            Directory.CreateDirectory(Path.Combine(root, "usr", "share", "doc", "qemu-user-static"));
            File.WriteAllText(Path.Combine(root, "usr", "share", "doc", "qemu-user-static", "README"), "hand-made\n");
        }, md5sums);
}
