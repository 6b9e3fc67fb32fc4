using QemuUserStatic.Cli;
using QemuUserStatic.Push;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Push;

/// <summary>qus-push's --to: a registry repository, or an OCI layout on disk that collects the tags of every push.</summary>
public class PushDestinationTests
{
    [Test]
    public void A_repository_is_named_by_registry_and_a_layout_by_its_absolute_path()
    {
        var registry = PushDestination.Parse("127.0.0.1:5000/octo/qus", "--to");
        var layout = PushDestination.Parse("oci:out/registry", "--to");

        Assert.Multiple(() =>
        {
            Assert.That((registry.Repository!.Registry, registry.Layout, registry.Reference("latest")),
                Is.EqualTo(("127.0.0.1:5000", (string?)null, "127.0.0.1:5000/octo/qus:latest")));
            Assert.That(layout.Repository, Is.Null);
            Assert.That(layout.Layout, Is.EqualTo(Path.GetFullPath("out/registry")));
            Assert.That(layout.Reference("x86_64-aarch64"), Is.EqualTo($"oci:{Path.GetFullPath("out/registry")}:x86_64-aarch64"));
        });
    }

    [TestCase("oci:", "--to: 'oci:': expected oci:DIR with a folder whose path holds no ':'")]
    [TestCase("oci:/tmp/a:b", "--to: 'oci:/tmp/a:b': expected oci:DIR with a folder whose path holds no ':'")]
    [TestCase("127.0.0.1:5000/qus:latest", "--to: '127.0.0.1:5000/qus:latest' names a tag or digest; give the repository only (REGISTRY/REPOSITORY)")]
    public void A_bad_destination_is_one_line_naming_it(string text, string message)
    {
        Assert.That(Assert.Throws<UserException>(() => PushDestination.Parse(text, "--to"))!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Pushing_a_layout_into_itself_is_refused()
    {
        var result = ToolProcess.RunTool("Qus.Push", ["--layout", ImageLayouts.MultiHost, "--to", "oci:" + ImageLayouts.MultiHost]);

        Assert.That((result.ExitCode, result.StandardError), Is.EqualTo((1, $"qus-push: error: --to oci:{ImageLayouts.MultiHost}: that is the layout being pushed\n")));
    }
}
