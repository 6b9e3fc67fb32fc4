using System.Text.Json.Nodes;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/push run as a runner runs it: to a real registry with htpasswd credentials given as inputs (secrets), and
/// into another OCI layout (oci:DIR); digests in the outputs are the layout's, and the password appears nowhere.
/// </summary>
public class PushActionTests
{
    private const string Password = "s3cret-Push-Action-9d2e";
    private const string Tags = "latest,x86_64-aarch64";

    private static readonly CompositeAction Action = new("push");

    [Test]
    public void Pushes_the_asked_tags_to_a_registry_with_the_credentials_and_outputs_their_digests()
    {
        using var registry = LocalRegistry.WithHtpasswd("qus", Password);
        using var work = new TempDir("qus-push-action");
        var layout = OciInspect.Tags(ImageLayouts.MultiHost);

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["layout"] = ImageLayouts.MultiHost, ["to"] = $"{registry.Address}/octo/qemu-user-static", ["tags"] = Tags,
            ["tls-verify"] = "false", ["username"] = "qus", ["password"] = Password,
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        var digests = JsonNode.Parse(run.Outputs["digests-json"])!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(digests, Is.EquivalentTo(Tags.Split(',').ToDictionary(t => t, t => layout[t])));
            Assert.That(run.Outputs["digests"].Split('\n'), Is.EquivalentTo(digests.Select(d => $"{d.Key} {d.Value}")));
            Assert.That(OciInspect.Raw($"docker://{registry.Address}/octo/qemu-user-static:latest",
                $"--tls-verify=false --creds qus:{Password}").Digest, Is.EqualTo(layout["latest"]));
            Assert.That(run.ToString() + File.ReadAllText(work["summary.md"]), Does.Not.Contain(Password));
        });
    }

    [Test]
    public void Pushes_into_an_oci_layout_that_collects_tags_like_a_registry()
    {
        using var work = new TempDir("qus-push-action");

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["layout"] = ImageLayouts.MultiHost, ["to"] = "oci:" + work["registry"], ["tags"] = Tags,
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        var source = OciInspect.Tags(ImageLayouts.MultiHost);
        Assert.That(OciInspect.Tags(work["registry"]), Is.EquivalentTo(Tags.Split(',').ToDictionary(t => t, t => source[t])));
        Assert.That(OciInspect.Raw($"oci:{work["registry"]}:latest").Json["manifests"]!.AsArray(), Has.Count.EqualTo(2), "the index with both hosts' images");
    }
}
