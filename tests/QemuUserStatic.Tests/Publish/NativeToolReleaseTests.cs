using QemuUserStatic.Manifests;
using QemuUserStatic.Releases;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Publish;

/// <summary>
/// qus-publish --native: the native qus-register joins the release and its SHA256SUMS; a file that is not a native
/// tool for the runtime its name says is a one-line error before anything is written.
/// </summary>
public class NativeToolReleaseTests
{
    private const string Tag = "v" + TarballsFolder.HostFolderTagVersion;

    [Test]
    public void A_native_tool_is_published_beside_the_emulators_and_listed_in_SHA256SUMS()
    {
        using var temp = new TempDir("qus-native-release");
        var native = NativeRegister.For("x64");

        var result = ToolProcess.RunTool("Qus.Publish", ["--assets", ImageLayouts.X86Input, "--native", native, "--to-folder", temp["releases"]]);

        var release = temp["releases/" + Tag];
        var sums = Sha256Sums.Load(Path.Combine(release, Sha256Sums.FileName));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(File.ReadAllBytes(Path.Combine(release, "qus-register-linux-x64")), Is.EqualTo(File.ReadAllBytes(native)));
            Assert.That(sums.Entries.Keys, Does.Contain("qus-register-linux-x64"));
            Assert.That(sums.Entries.Count, Is.EqualTo(Sha256Sums.Load(Path.Combine(ImageLayouts.X86Input, Sha256Sums.FileName)).Entries.Count + 1));
            Assert.That(ToolProcess.Shell("sha256sum --strict -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(File.ReadAllText(Path.Combine(release, FolderReleasePublisher.NotesFileName)), Does.Contain("| qus-register-linux-x64 |"));
        });
    }

    [TestCase("name", 2, "--native {0}: expected a file named qus-register-linux-x64 or qus-register-linux-arm64")]
    [TestCase("missing", 2, "--native {0}: no such regular file")]
    [TestCase("text", 1, "{0}: not a native executable (not an ELF file)")]
    [TestCase("foreign", 1, "{0}: ELF 64-bit little-endian, machine 183, not for x86_64 (ELF 64-bit little-endian, machine 62)")]
    [TestCase("huge", 1, "{0}: 67108865 bytes, more than the limit 67108864 for a native tool")]
    [TestCase("twice", 2, "--native {0}: a second qus-register-linux-x64")]
    public void A_file_that_is_not_a_native_tool_for_its_runtime_is_a_one_line_error_and_nothing_is_written(string what, int exitCode, string message)
    {
        using var temp = new TempDir("qus-native-release");
        Directory.CreateDirectory(temp["in"]);
        Directory.CreateDirectory(temp["again"]);
        var path = temp[what == "name" ? "in/qus-register-x64" : "in/qus-register-linux-x64"];
        string[] extra = [];
        switch (what)
        {
            case "name":
            case "text":
                File.WriteAllText(path, "#!/bin/sh\n# A script where an executable is expected: longer than an ELF header, never one.\necho not native\n");
                break;
            case "foreign":
                File.Copy(Path.Combine(PackageFixtures.DebianPackageRoot("busybox-static", "arm64"), "bin", "busybox"), path);
                break;
            case "huge":
                // Sparse: past the limit without writing 64 MiB; the size is refused before a byte is read.
                using (var file = File.Create(path))
                {
                    file.SetLength(NativeTool.MaxSize + 1);
                }

                break;
            case "twice":
                File.Copy(NativeRegister.For("x64"), path);
                File.Copy(path, temp["again/qus-register-linux-x64"]);
                extra = ["--native", path];
                path = temp["again/qus-register-linux-x64"];
                break;
        }

        var result = ToolProcess.RunTool("Qus.Publish", ["--assets", ImageLayouts.X86Input, .. extra, "--native", path, "--to-folder", temp["releases"]]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
            Assert.That(result.StandardError, Is.EqualTo($"qus-publish: error: {string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path)}\n"));
            Assert.That(Directory.Exists(temp["releases"]), Is.False);
        });
    }
}
