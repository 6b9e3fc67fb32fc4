using System.Text;
using System.Text.Json.Nodes;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>manifest.schema.json describes exactly what ReleaseManifest writes, and rejects what it does not.</summary>
[Category("Unit")]
public class ManifestSchemaTests
{
    [Test]
    public void A_manifest_with_every_field_set_is_valid() =>
        Assert.That(ManifestSchema.Errors(Json(Full())), Is.Empty);

    [Test]
    public void The_schema_rejects_unknown_fields_missing_fields_and_bad_digests()
    {
        var unknown = JsonNode.Parse(Json(Full()))!;
        unknown["targets"]![0]!["extra"] = 1;
        Assert.That(ManifestSchema.Errors(unknown.ToJsonString()), Is.Not.Empty, "unknown field");

        var missing = JsonNode.Parse(Json(Full()))!;
        missing.AsObject().Remove("tagVersion");
        Assert.That(ManifestSchema.Errors(missing.ToJsonString()), Is.Not.Empty, "missing field");

        Assert.That(ManifestSchema.Errors(Json(Full() with { TagVersion = "7.2+dfsg" })), Is.Not.Empty, "tag with '+'");
        var badDigest = Full();
        badDigest = badDigest with { Sources = [badDigest.Sources[0] with { Sha256 = "XYZ" }] };
        Assert.That(ManifestSchema.Errors(Json(badDigest)), Is.Not.Empty, "bad digest");
    }

    [Test]
    public void Load_reads_back_what_ToJsonBytes_writes()
    {
        using var temp = new TempDir("manifest");
        var manifest = Full();
        File.WriteAllBytes(temp[ReleaseManifest.FileName], manifest.ToJsonBytes());
        var loaded = ReleaseManifest.Load(temp.Path);
        Assert.That(Json(loaded), Is.EqualTo(Json(manifest)));
        Assert.That(Json(manifest), Does.Contain("\"packageVersion\": \"1:7.2+dfsg-7+deb12u18+b3\""), "versions are written as they are");
    }

    private static string Json(ReleaseManifest manifest) => Encoding.UTF8.GetString(manifest.ToJsonBytes());

    private static ReleaseManifest Full()
    {
        var sha = new string('a', 64);
        var binfmt = new ManifestBinfmt { Name = "qemu-i386", Source = "usr/lib/binfmt.d/qemu-i386.conf", Line = ":qemu-i386:M::\\x7f:\\xff:/usr/bin/qemu-i386-static:F" };
        return new ReleaseManifest
        {
            QemuVersion = "7.2",
            PackageVersion = "1:7.2+dfsg-7+deb12u18+b3",
            TagVersion = "7.2-7-deb12u18-b3",
            FromArch = "x86_64",
            SourceDateEpoch = 1_700_000_000,
            Sources =
            [
                new ManifestPackage
                {
                    File = "qemu-user-static_7.2+dfsg-7+deb12u18+b3_amd64.deb", Format = "deb", Name = "qemu-user-static", Epoch = "1",
                    Version = "7.2+dfsg", Release = "7+deb12u18+b3", Arch = "amd64", Size = 1, Sha256 = sha, BuildTime = 1_700_000_000,
                },
            ],
            Targets =
            [
                new ManifestTarget
                {
                    Name = "i386",
                    Binary = new ManifestFile { Name = "qemu-i386-static", Size = 2, Sha256 = sha },
                    Tarballs =
                    [
                        new ManifestFile { Name = "qemu-i386-static.tar.gz", Size = 3, Sha256 = sha },
                        new ManifestFile { Name = "x86_64_qemu-i386-static.tar.gz", Size = 3, Sha256 = sha },
                    ],
                    Binfmt = binfmt,
                    AdditionalBinfmt = [binfmt with { Name = "qemu-i486", Source = "usr/lib/binfmt.d/qemu-i486.conf" }],
                    Package = "qemu-user-static_7.2+dfsg-7+deb12u18+b3_amd64.deb",
                },
            ],
        };
    }
}
