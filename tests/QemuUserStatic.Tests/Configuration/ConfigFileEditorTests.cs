using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Configuration;

/// <summary>Pinning a newer version in qus.yml changes the version's text and nothing else.</summary>
[Category("Unit")]
public class ConfigFileEditorTests
{
    [Test]
    public async Task A_debian_pin_replaces_only_the_version_scalar_and_the_file_reads_it_back()
    {
        using var temp = new TempDir("qus-config-edit");
        const string Text = "# top comment\nsource: debian\nqemu:\n  # the pin\n  version: 1:7.2+dfsg-7   # trailing\nhosts: [x86_64]\n";
        File.WriteAllText(temp["qus.yml"], Text);

        await ConfigFileEditor.PinAsync(temp["qus.yml"], new QemuVersion(PackageOrigin.Debian, "1:8.2.2+ds-0ubuntu1", null));

        Assert.That(File.ReadAllText(temp["qus.yml"]), Is.EqualTo(Text.Replace("1:7.2+dfsg-7", "\"1:8.2.2+ds-0ubuntu1\"")));
        Assert.That(PipelineConfigLoader.LoadFile(temp["qus.yml"]).Qemu!.Full, Is.EqualTo("1:8.2.2+ds-0ubuntu1"));
        Assert.That(Directory.GetFiles(temp.Path), Has.Length.EqualTo(1), "no temporary file left");
    }

    [Test]
    public void A_fedora_pin_replaces_version_and_release_wherever_they_are_and_however_quoted()
    {
        const string Text = "source: fedora\nqemu: {release: '1.fc38', version: \"7.2.0\"}\n";

        var edited = ConfigFileEditor.Pin(Text, "qus.yml", new QemuVersion(PackageOrigin.Fedora, "8.1.3", "4.fc40"));

        Assert.That(edited, Is.EqualTo("source: fedora\nqemu: {release: \"4.fc40\", version: \"8.1.3\"}\n"));
    }

    [TestCase("source: debian\nhosts: [x86_64]\n", "qus.yml: no qemu: section to pin the version in")]
    [TestCase("source: fedora\nqemu:\n  version: 7.2.0\n", "qus.yml: qemu.release is not a single-line value to replace")]
    [TestCase("qemu:\n  version: |\n    7.2\n", "qus.yml: qemu.version is not a single-line value to replace")]
    public void A_file_without_a_place_for_the_pin_is_an_error_naming_it(string text, string message)
    {
        var version = text.Contains("fedora", StringComparison.Ordinal)
            ? new QemuVersion(PackageOrigin.Fedora, "8.1.3", "4.fc40")
            : new QemuVersion(PackageOrigin.Debian, "1:8.0", null);

        var error = Assert.Throws<UserException>(() => ConfigFileEditor.Pin(text, "qus.yml", version));

        Assert.That(error!.Message, Is.EqualTo(message));
    }
}
