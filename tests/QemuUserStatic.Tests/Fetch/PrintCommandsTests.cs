using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>qus-fetch's answers for scripts and workflows: the resolved configuration, and the architecture table's names.</summary>
[Category("Unit")]
public class PrintCommandsTests
{
    [Test]
    public void Print_config_says_the_resolved_configuration_with_overrides_as_lines_and_step_outputs()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\nqemu:\n  version: 7.2.0\n  release: 1.fc38\nhosts: [x86_64]\ntargets: [arm64, riscv64]\n");

        var result = ToolProcess.RunTool("Qus.Fetch", ["--print-config", "--config", temp["qus.yml"], "--host-arch", "arm64", "--host-arch", "ppc64le"],
            new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["output"] });

        var expected = $"config={temp["qus.yml"]}\nsource=fedora\nversion=7.2.0-1.fc38\nhosts=[\"aarch64\",\"ppc64le\"]\n" +
                       "targets=aarch64,riscv64\nimage-repository=\ngithub-repository=\n";
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StandardOutput, Is.EqualTo(expected));
        Assert.That(File.ReadAllText(temp["output"]), Is.EqualTo(expected));
    }

    [Test]
    public void Print_config_with_json_gives_the_same_settings_in_order_as_one_object_and_the_same_outputs()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\nqemu:\n  version: 7.2.0\n  release: 1.fc38\nhosts: [x86_64]\n");

        var result = ToolProcess.RunTool("Qus.Fetch", ["--print-config", "--config", temp["qus.yml"], "--json"],
            new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["output"] });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var settings = StepJson.Parse(result)["settings"]!.AsObject().Select(s => $"{s.Key}={s.Value!.GetValue<string>()}\n");
        Assert.That(string.Concat(settings), Is.EqualTo(File.ReadAllText(temp["output"])));
        Assert.That(File.ReadAllText(temp["output"]), Does.StartWith($"config={temp["qus.yml"]}\nsource=fedora\nversion=7.2.0-1.fc38\nhosts=[\"x86_64\"]\n"));
        Assert.That(result.StandardError, Does.Contain("source=fedora"), "the lines stdout has otherwise");
    }

    [Test]
    public void Print_arch_gives_each_architectures_package_names_and_platform_from_the_table()
    {
        var known = ToolProcess.RunTool("Qus.Fetch", ["--print-arch", "amd64,linux/arm64", "--print-arch", "hexagon"]);
        var unknown = ToolProcess.RunTool("Qus.Fetch", ["--print-arch", "z80"]);

        Assert.That(known.StandardOutput, Is.EqualTo("x86_64 amd64 x86_64 linux/amd64\naarch64 arm64 aarch64 linux/arm64/v8\nhexagon - - -\n"), known.ToString());
        Assert.That(unknown.ExitCode, Is.Not.Zero);
        Assert.That(unknown.StandardError, Does.StartWith("qus-fetch: error: ").And.Contain("z80"));
    }
}
