using QemuUserStatic.Manifests;
using QemuUserStatic.Releases;

namespace QemuUserStatic.Tests.Publish;

[Category("Unit")]
public class PublishPlanTests
{
    private static readonly AssetFile Binary = new("qemu-arm-static", "/x/qemu-arm-static", 100, new string('a', 64));

    [Test]
    public void Decides_from_state_size_and_sha256()
    {
        PublishedAsset Asset(string state = "uploaded", long size = 100) => new() { Id = 1, Name = Binary.Name, State = state, Size = size };

        Assert.That(PublishPlan.Decide(Binary, null, null, false).Action, Is.EqualTo(AssetAction.Upload));
        Assert.That(PublishPlan.Decide(Binary, Asset(), new string('a', 64), false).Action, Is.EqualTo(AssetAction.Skip));
        Assert.That(PublishPlan.Decide(Binary, Asset("starter", 0), null, false).Action, Is.EqualTo(AssetAction.Resume));
        Assert.That(PublishPlan.Decide(Binary, Asset(size: 99), null, false).Reason, Is.EqualTo("99 bytes on the release, 100 here"));
        Assert.That(PublishPlan.Decide(Binary, Asset(), new string('b', 64), false).Action, Is.EqualTo(AssetAction.Conflict));
        Assert.That(PublishPlan.Decide(Binary, Asset(), new string('b', 64), true).Action, Is.EqualTo(AssetAction.Replace));
        Assert.That(PublishPlan.Decide(Binary, Asset(), null, false).Action, Is.EqualTo(AssetAction.Conflict), "an unknown sha256 is never taken as equal");
    }

    [Test]
    public void Index_files_come_last_and_foreign_assets_are_left_alone()
    {
        AssetFile File(string name) => new(name, "/x/" + name, 1, new string('c', 64));
        var plan = PublishPlan.Make(
            [File(ReleaseManifest.FileName), File(Sha256Sums.FileName), File("qemu-s390x-static"), File("qemu-arm-static")],
            [new PublishedAsset { Id = 9, Name = "notes.pdf", State = "uploaded", Size = 5 }],
            new Dictionary<string, string>(), replace: false);

        Assert.That(plan.Assets.Select(a => a.File.Name), Is.EqualTo(new[] { "qemu-arm-static", "qemu-s390x-static", "SHA256SUMS", "manifest.json" }));
        Assert.That(plan.Others.Select(a => a.Name), Is.EqualTo(new[] { "notes.pdf" }));
    }

    [Test]
    public void Reads_GitHub_digests_upload_templates_and_repository_names()
    {
        Assert.That(new PublishedAsset { Digest = "sha256:ABC" }.DigestSha256, Is.EqualTo("abc"));
        Assert.That(new PublishedAsset { Digest = "md5:abc" }.DigestSha256, Is.Null);
        Assert.That(
            UploadUrl.Expand("https://uploads.github.com/repos/o/r/releases/7/assets{?name,label}", "x86_64_qemu-arm-static.tar.gz").AbsoluteUri,
            Is.EqualTo("https://uploads.github.com/repos/o/r/releases/7/assets?name=x86_64_qemu-arm-static.tar.gz"));
        Assert.That(GitHubRepository.TryParse("multiarch/qemu-user-static", out var repository), Is.True);
        Assert.That(repository, Is.EqualTo(new GitHubRepository("multiarch", "qemu-user-static")));
        Assert.That(new[] { "multiarch", "a/b/c", "-x/y", "x/..", "x/", "/y", "x y/z" }.Where(v => GitHubRepository.TryParse(v, out _)), Is.Empty);
    }

    [Test]
    public void SHA256SUMS_round_trips_and_names_the_bad_line()
    {
        var text = Sha256Sums.Format([("b", new string('1', 64)), ("a", new string('2', 64))]);

        Assert.That(text, Is.EqualTo($"{new string('2', 64)}  a\n{new string('1', 64)}  b\n"));
        Assert.That(Sha256Sums.Parse(text + $"{new string('3', 64)} *c\n", "SUMS").Entries["c"], Is.EqualTo(new string('3', 64)));
        var bad = Assert.Throws<QemuUserStatic.Cli.UserException>(() => Sha256Sums.Parse(text + "xyz  d\n", "SUMS"));
        Assert.That(bad!.Message, Is.EqualTo("SUMS: line 3: expected '<sha256>  <file name>'"));
    }
}
