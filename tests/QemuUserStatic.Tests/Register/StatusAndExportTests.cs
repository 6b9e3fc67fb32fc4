using System.Text.Json;
using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;
using static QemuUserStatic.Tests.Support.BinfmtSandbox;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// <c>--status</c> (JSON, the platforms step output, the job summary) read from a real private binfmt_misc, and
/// <c>--export</c> files registered by the real systemd-binfmt and Debian's update-binfmts, compared with what
/// qus-register registers itself.
/// </summary>
public class StatusAndExportTests
{
    [Test]
    public void Status_lists_entries_and_the_platforms_that_run_and_changes_nothing()
    {
        using var actions = new TempDir("qus-actions");
        var steps = RunSteps(
        [
            ("setup", $"{Tool("-p", "yes", "aarch64")} && {Tool("--qemu-path", "/nonexistent", "riscv64", "s390x")} && " +
                      $"echo 0 > {Mount}/qemu-s390x && printf '%s' ':python-test:E::pyx::/usr/bin/python3:' > {Mount}/register"),
            ("status", $"GITHUB_OUTPUT={Quote(actions["output"])} GITHUB_STEP_SUMMARY={Quote(actions["summary"])} {Tool("--status")}"),
            ("entries", $"ls {Mount}"),
        ]);

        var status = steps["status"];
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        var root = json.RootElement;
        var entries = root.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(status.StandardError, Is.Empty, "--status alone changes nothing, so it says nothing");
            Assert.That(root.GetProperty("mount").GetString(), Is.EqualTo(Mount));
            Assert.That(root.GetProperty("enabled").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("host").GetProperty("arch").GetString(), Is.EqualTo("x86_64"));
            Assert.That(root.GetProperty("host").GetProperty("family").GetString(), Is.EqualTo("i386"));
            Assert.That(entries.Keys, Is.EqualTo(new[] { "python-test", "qemu-aarch64", "qemu-riscv64", "qemu-s390x" }));
            var aarch64 = entries["qemu-aarch64"];
            Assert.That(aarch64.GetProperty("target").GetString(), Is.EqualTo("aarch64"));
            Assert.That(aarch64.GetProperty("flags").GetString(), Is.EqualTo("F"));
            Assert.That(aarch64.GetProperty("interpreter").GetString(), Is.EqualTo("/usr/bin/qemu-aarch64-static"));
            Assert.That(aarch64.GetProperty("magic").GetString(), Is.EqualTo(Convert.ToHexStringLower(ArchitectureTable.Get("aarch64").Magic)));
            Assert.That(aarch64.GetProperty("runs").GetBoolean(), Is.True);
            Assert.That(aarch64.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "linux/arm64" }));
            Assert.That(entries["qemu-riscv64"].GetProperty("runs").GetBoolean(), Is.False, "no F and no interpreter");
            Assert.That(entries["qemu-s390x"].GetProperty("enabled").GetBoolean(), Is.False);
            Assert.That(entries["qemu-s390x"].GetProperty("runs").GetBoolean(), Is.False);
            Assert.That(entries["python-test"].GetProperty("target").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(entries["python-test"].GetProperty("extension").GetString(), Is.EqualTo("pyx"));
            Assert.That(root.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()),
                Is.EqualTo(new[] { "linux/386", "linux/amd64", "linux/arm64" }));
            Assert.That(File.ReadAllText(actions["output"]), Is.EqualTo("platforms=linux/386,linux/amd64,linux/arm64\n"));
            Assert.That(File.ReadAllText(actions["summary"]), Does.Contain("| qemu-aarch64 | F | /usr/bin/qemu-aarch64-static | linux/arm64 |"));
            Assert.That(steps["entries"].StandardOutput, Is.EqualTo("python-test\nqemu-aarch64\nqemu-riscv64\nqemu-s390x\nregister\nstatus\n"));
        });
    }

    [Test]
    public void Json_prints_the_table_it_left_as_one_object_and_the_lines_on_stderr()
    {
        using var actions = new TempDir("qus-actions");
        var steps = RunSteps(
        [
            ("register", $"GITHUB_OUTPUT={Quote(actions["output"])} {Tool("-p", "yes", "--json", "aarch64")}"),
            ("plain", Tool("aarch64")),
        ]);

        var register = steps["register"];
        Assert.That(register.ExitCode, Is.Zero, register.ToString());
        var json = StepJson.Parse(register);
        var entries = json["status"]!["entries"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(json["failures"]!.GetValue<int>(), Is.Zero);
            Assert.That(json.ContainsKey("exported"), Is.False, "nothing exported");
            Assert.That(json["status"]!["mount"]!.GetValue<string>(), Is.EqualTo(Mount));
            Assert.That(entries.Keys, Is.EqualTo(new[] { "qemu-aarch64" }));
            Assert.That(entries["qemu-aarch64"]!["flags"]!.GetValue<string>(), Is.EqualTo("F"));
            Assert.That(StepJson.Strings(json["status"]!["platforms"]), Is.EqualTo(new[] { "linux/386", "linux/amd64", "linux/arm64" }));
            Assert.That(register.StandardError, Does.Contain("qemu-aarch64"), "the line about the change went to stderr");
            Assert.That(File.ReadAllText(actions["output"]), Is.EqualTo("platforms=linux/386,linux/amd64,linux/arm64\n"), "the same outputs");
            Assert.That(steps["plain"].StandardOutput, Does.Contain("qemu-aarch64").And.Not.Contain("{"), "without --json stdout keeps its lines");
        });
    }

    [Test]
    public void Json_of_an_export_lists_the_files_written()
    {
        using var export = new TempDir("qus-export");
        var result = ToolProcess.RunTool("Qus.Register", ["--export", export.Path, "--mount", "/nonexistent", "--json", "aarch64", "riscv64"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        Assert.Multiple(() =>
        {
            Assert.That(StepJson.Strings(json["exported"]), Is.EqualTo(new[] { export["qemu-aarch64.conf"], export["qemu-riscv64.conf"] }));
            Assert.That(json.ContainsKey("status"), Is.False, "an export reads no table");
            Assert.That(Directory.GetFiles(export.Path).Order(StringComparer.Ordinal), Is.EqualTo(StepJson.Strings(json["exported"])));
            Assert.That(result.StandardError, Does.Contain($"wrote {export["qemu-aarch64.conf"]}"));
        });
    }

    [Test]
    public void Systemd_export_registers_through_systemd_binfmt_exactly_as_the_tool_does()
    {
        using var export = new TempDir("qus-export");
        string[] options = ["-c", "yes", "-p", "yes", "aarch64", "riscv64", "x86_64"];
        var written = Export(export.Path, "systemd", options);

        Assert.That(written, Is.EqualTo(new[] { "qemu-aarch64.conf", "qemu-riscv64.conf" }), "x86_64 is this host's family");
        var flags = BinfmtFlags.OpenBinary | BinfmtFlags.Credentials | BinfmtFlags.FixBinary;
        Assert.That(File.ReadAllText(export["qemu-aarch64.conf"]),
            Is.EqualTo(ArchitectureTable.Get("aarch64").ToBinfmtEntry("/usr/bin/qemu-aarch64-static", flags).ToRegisterLine() + "\n"));
        var bySystemd = RunSteps([("systemd-binfmt", $"/lib/systemd/systemd-binfmt {Quote(export.Path)}/*.conf"), ("entries", DumpEntries())]);
        AssertSameEntries(bySystemd, options);
    }

    [Test]
    public void Debian_export_reads_like_Debian_s_files_and_registers_through_update_binfmts_exactly_as_the_tool_does()
    {
        using var export = new TempDir("qus-export");
        using var admin = new TempDir("qus-binfmts-admin");
        string[] options = ["-c", "yes", "-p", "yes", "--preserve-argv0", "yes", "aarch64", "riscv64"];
        var written = Export(export.Path, "debian", options);

        Assert.That(written, Is.EqualTo(new[] { "qemu-aarch64", "qemu-riscv64" }));
        var ours = Fields(export["qemu-aarch64"]);
        var debian = Fields("/usr/share/binfmts/qemu-aarch64");
        Assert.Multiple(() =>
        {
            Assert.That(ours.Keys, Is.EqualTo(debian.Keys), "the same fields in the same order as Debian's own file");
            foreach (var field in new[] { "package", "magic", "offset", "mask" })
            {
                Assert.That(ours[field], Is.EqualTo(debian[field]), field);
            }

            Assert.That(ours["interpreter"], Is.EqualTo("/usr/bin/qemu-aarch64-static"));
            Assert.That((ours["credentials"], ours["fix_binary"], ours["preserve"]), Is.EqualTo(("yes", "yes", "yes")));
        });
        var updateBinfmts = Path.Combine(PackageFixtures.DebianPackageRoot("binfmt-support", "amd64"), "usr", "sbin", "update-binfmts");
        var byDebian = RunSteps(
        [
            ("update-binfmts", $"{Quote(updateBinfmts)} --admindir {Quote(admin.Path)} --importdir {Quote(export.Path)} --import"),
            ("entries", DumpEntries()),
        ]);
        AssertSameEntries(byDebian, options);
    }

    private static List<string> Export(string folder, string format, string[] options)
    {
        // --mount points nowhere: exporting must not need, nor touch, any binfmt_misc.
        var result = ToolProcess.RunTool("Qus.Register", ["--export", folder, "--format", format, "--mount", "/nonexistent", .. options]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
    }

    private static void AssertSameEntries(IReadOnlyDictionary<string, ProcessResult> byOtherTool, string[] options)
    {
        var byTool = RunSteps([("qus-register", Tool(options)), ("entries", DumpEntries())]);
        Assert.Multiple(() =>
        {
            Assert.That(byOtherTool.Values.First().ExitCode, Is.Zero, byOtherTool.Values.First().ToString());
            Assert.That(byTool["qus-register"].ExitCode, Is.Zero, byTool["qus-register"].ToString());
            Assert.That(byOtherTool["entries"].StandardOutput, Does.Contain("== qemu-aarch64\n"));
            Assert.That(byOtherTool["entries"].StandardOutput, Is.EqualTo(byTool["entries"].StandardOutput));
        });
    }

    // Debian's binfmts format: "key value" lines, in file order.
    private static Dictionary<string, string> Fields(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
}
