using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Tarballs;

/// <summary>
/// Packages whose metadata carries a line break and a GitHub workflow command: qus-tarballs, run as in Actions,
/// refuses them with one line, prints no line the runner would act on, sets no step output and writes nothing.
/// </summary>
public class WorkflowCommandInjectionTests : TempDirTest
{
    // Same length as the fixture's version below, so that the header can be edited in place.
    private const string InjectedVersion = "7.2.0\n::error title=x::pwned";
    private const string FixtureVersion = "7.2.0.aaaaaaaaaaaaaaaaaaaaaa";

    [Test]
    public void Rpm_version_with_a_line_break_and_a_workflow_command_is_refused()
    {
        var rpm = RpmSurgery.Craft(PackageFixtures.FedoraSplit(["s390x"], version: FixtureVersion).Single(), Temp["injected.rpm"],
            editHeader: header => RpmSurgery.Replace(header, FixtureVersion, InjectedVersion));

        var result = RunInActions(rpm);

        OneLineError.Check(result, "qus-tarballs", @"injected.rpm: the package version '7.2.0\n::error title=x::pwned' has a control character");
        AssertNothingForTheRunner(result);
    }

    [Test]
    public void Deb_file_name_with_a_line_break_and_a_workflow_command_is_refused()
    {
        // dpkg-deb refuses such a name, so the package is put together with tar and ar, as a hand-made one would be.
        var root = Temp["root"];
        Directory.CreateDirectory(Path.Combine(root, "control"));
        Directory.CreateDirectory(Path.Combine(root, "data", "usr", "share", "doc"));
        File.WriteAllText(Path.Combine(root, "control", "control"),
            "Package: qemu-user-static\nVersion: 1:7.2+dfsg-7\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: x\n");
        File.WriteAllText(Path.Combine(root, "data", "usr", "share", "doc", "a\n::error title=x::pwned"), "");
        File.WriteAllText(Path.Combine(root, "debian-binary"), "2.0\n");
        ToolProcess.ShellOrThrow(
            "tar -C control --owner=0 --group=0 -cJf control.tar.xz ./control && tar -C data --owner=0 --group=0 -cJf data.tar.xz ./usr && " +
            "ar rc ../injected.deb debian-binary control.tar.xz data.tar.xz", workingDirectory: root);

        var result = RunInActions(Temp["injected.deb"]);

        OneLineError.Check(result, "qus-tarballs", @"injected.deb: entry './usr/share/doc/a\n::error title=x::pwned' has a control character in its name");
        AssertNothingForTheRunner(result);
    }

    private ProcessResult RunInActions(string input) =>
        TarballsTool.Run([input], Temp["out"], [], new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = Temp["github-output"], ["SOURCE_DATE_EPOCH"] = null,
        });

    private void AssertNothingForTheRunner(ProcessResult result)
    {
        var commands = (result.StandardError + result.StandardOutput).Split('\n')
            .Where(l => l.TrimStart().StartsWith("::", StringComparison.Ordinal) && !l.StartsWith("::group::", StringComparison.Ordinal) && l != "::endgroup::");
        Assert.That(commands, Is.Empty, result.ToString());
        Assert.That(File.Exists(Temp["github-output"]) ? File.ReadAllText(Temp["github-output"]) : "", Is.Empty, "no step output");
        Assert.That(Directory.Exists(Temp["out"]), Is.False, "no output folder");
    }
}
