using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Configuration;

/// <summary>Tools take what their options leave out from qus.yml, and only then.</summary>
public class ToolDefaultsTests
{
    [Test]
    public void Tarballs_takes_its_targets_from_the_configuration_unless_given()
    {
        using var temp = new TempDir("defaults");
        File.WriteAllText(temp["qus.yml"], "targets: [arm64]\n");
        var rpms = PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]);

        var configured = TarballsTool.Run(rpms, temp["configured"], ["--config", temp["qus.yml"]]);
        var given = TarballsTool.Run(rpms, temp["given"], ["--config", temp["qus.yml"], "--targets", "riscv64"]);

        Assert.That(configured.ExitCode, Is.Zero, configured.ToString());
        Assert.That(given.ExitCode, Is.Zero, given.ToString());
        Assert.That(ReleaseManifest.Load(temp["configured"]).Targets.Select(t => t.Name), Is.EqualTo(new[] { "aarch64" }));
        Assert.That(ReleaseManifest.Load(temp["given"]).Targets.Select(t => t.Name), Is.EqualTo(new[] { "riscv64" }));
    }

    [Test]
    public void A_bad_configuration_is_one_line_naming_file_and_line()
    {
        using var temp = new TempDir("defaults");
        File.WriteAllText(temp["qus.yml"], "source: debian\ntargets: [pdp11]\n");

        var result = TarballsTool.Run(PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]), temp["out"], ["--config", temp["qus.yml"]]);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StandardError.Trim(), Does.StartWith("qus-tarballs: error: ").And.Contain("qus.yml:2").And.Contain("pdp11").And.Not.Contain("\n"));
        Assert.That(Directory.Exists(temp["out"]), Is.False);
    }

    [Test]
    public void Push_without_a_destination_anywhere_is_a_usage_error()
    {
        using var temp = new TempDir("defaults");
        File.WriteAllText(temp["qus.yml"], "source: debian\n");
        Directory.CreateDirectory(temp["layout"]);

        var result = ToolProcess.RunTool("Qus.Push", ["--layout", temp["layout"], "--config", temp["qus.yml"]]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StandardError.Trim(), Is.EqualTo(
            "qus-push: error: --to: no repository to push to (give --to REGISTRY/REPOSITORY or set image.repository in qus.yml)"));
    }

    [Test]
    public void Publish_names_the_release_with_the_configured_tag_template_unless_a_tag_is_given()
    {
        using var temp = new TempDir("defaults");
        File.WriteAllText(temp["qus.yml"], "github:\n  repository: someone/qemu-user-static\n  tag: \"qemu-{version}\"\n");
        TarballsFolder.Write(temp["assets"], TarballsFolder.RealEmulators("aarch64"));
        var qemu = ReleaseManifest.Load(temp["assets"]).QemuVersion;

        var configured = ToolProcess.RunTool("Qus.Publish", ["--assets", temp["assets"], "--to-folder", temp["release"], "--config", temp["qus.yml"]]);
        var given = ToolProcess.RunTool("Qus.Publish", ["--assets", temp["assets"], "--to-folder", temp["release"], "--config", temp["qus.yml"], "--tag", "v1"]);
        var dryRun = ToolProcess.RunTool("Qus.Publish", ["--assets", temp["assets"], "--dry-run", "--config", temp["qus.yml"]],
            new Dictionary<string, string?> { ["GITHUB_REPOSITORY"] = null, ["GITHUB_TOKEN"] = null });

        Assert.That(configured.ExitCode, Is.Zero, configured.ToString());
        Assert.That(given.ExitCode, Is.Zero, given.ToString());
        Assert.That(Directory.GetDirectories(temp["release"]).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { $"qemu-{qemu}", "v1" }));
        Assert.That(dryRun.StandardOutput + dryRun.StandardError, Does.Contain("someone/qemu-user-static"), dryRun.ToString());
    }
}
