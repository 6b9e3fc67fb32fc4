using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/images run as a runner runs it: the tarballs folders of two hosts, laid out as download-artifact puts
/// several artifacts (a folder of folders), become one layout on the local busybox base; outputs checked against
/// the layout and against qus-images run directly on the same inputs.
/// </summary>
public class ImagesActionTests
{
    private static readonly CompositeAction Action = new("images");

    [Test]
    public void Builds_one_layout_from_a_folder_of_host_folders_and_outputs_its_tags_and_digests()
    {
        using var work = new TempDir("qus-images-action");
        ToolProcess.ShellOrThrow(
            $"mkdir -p '{work["tarballs"]}' && cp -r '{ImageLayouts.X86Input}' '{work["tarballs/tarballs-x86_64"]}' && " +
            $"cp -r '{ImageLayouts.Arm64Input}' '{work["tarballs/tarballs-aarch64"]}'");

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["inputs"] = work["tarballs"], ["output"] = work["images"], ["base"] = BusyboxBase.Reference, ["cache"] = work["cache"],
            ["repository"] = "ghcr.io/octo/qemu-user-static",
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        var tags = OciInspect.Tags(work["images"]);
        Assert.Multiple(() =>
        {
            Assert.That(run.Outputs["layout"], Is.EqualTo(work["images"]));
            Assert.That(run.Outputs["tags"].Split(','), Is.EquivalentTo(tags.Keys));
            Assert.That(run.Outputs["digests"].Split('\n'), Is.EquivalentTo(tags.Select(t => $"{t.Key} {t.Value}")));
            Assert.That(tags.Keys, Does.Contain("x86_64-aarch64").And.Contain("aarch64-x86_64").And.Contain("latest").And.Contain("register"));
            Assert.That(OciInspect.Raw($"oci:{work["images"]}:latest").Json["manifests"]!.AsArray(), Has.Count.EqualTo(2), "latest serves both hosts");
            Assert.That(tags, Is.EquivalentTo(OciInspect.Tags(ImageLayouts.MultiHost)), "the same images as qus-images run directly");
            Assert.That(File.ReadAllText(work["summary.md"]), Does.Contain("x86_64-aarch64"));
        });
    }

    [Test]
    public void A_folder_without_tarballs_fails_the_action_naming_it()
    {
        using var work = new TempDir("qus-images-action");
        Directory.CreateDirectory(work["empty/sub"]);

        var run = Action.Run(work.Path, new Dictionary<string, string> { ["inputs"] = work["empty"], ["output"] = work["images"] }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, Is.False);
        Assert.That(run.Steps["images"].StandardError, Does.Contain($"qus-images: error: {work["empty"]}: neither a qus-tarballs folder nor a folder of them"));
        Assert.That(Directory.Exists(work["images"]), Is.False);
    }
}
