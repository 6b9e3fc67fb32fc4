using QemuUserStatic.Common;
using QemuUserStatic.Fetch;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Actions;

/// <summary>
/// actions/tarballs run as a runner runs it, on real Fedora-layout RPMs: from a list of packages, and from the
/// fetch action's fetched.json for one host of several (as the workflow's matrix job does); outputs checked.
/// </summary>
public class TarballsActionTests
{
    private static readonly CompositeAction Action = new("tarballs");

    [Test]
    public void Writes_the_tarballs_of_the_listed_packages_and_outputs_what_it_wrote()
    {
        var rpms = PackageFixtures.FedoraSplit(["aarch64", "riscv64"]);
        using var work = new TempDir("qus-tarballs-action");

        var run = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["inputs"] = string.Join(",\n", rpms), ["targets"] = "aarch64", ["output"] = work["out"], ["source-date-epoch"] = "1234567890",
        }, ActionEnvironment.For(work));

        Assert.That(run.Succeeded, run.ToString());
        var manifest = ReleaseManifest.Load(work["out"]);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(work["out"]).Select(Path.GetFileName), Is.EquivalentTo(new[]
            {
                "qemu-aarch64-static", "qemu-aarch64-static.tar.gz", "x86_64_qemu-aarch64-static.tar.gz", "SHA256SUMS", "sbom.spdx.json", "manifest.json",
            }), "only the asked target");
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: work["out"]).ExitCode, Is.Zero);
            Assert.That(run.Outputs["output"], Is.EqualTo(work["out"]));
            Assert.That(run.Outputs["manifest"], Is.EqualTo(work["out/manifest.json"]));
            Assert.That(run.Outputs["qemu-version"], Is.EqualTo("7.2.0"));
            Assert.That(run.Outputs["package-version"], Is.EqualTo("7.2.0-1.fc99"));
            Assert.That(run.Outputs["tag-version"], Is.EqualTo("7.2.0-1"));
            Assert.That(run.Outputs["from-arch"], Is.EqualTo("x86_64"));
            Assert.That(run.Outputs["targets"], Is.EqualTo("aarch64"));
            Assert.That(manifest.SourceDateEpoch, Is.EqualTo(1234567890), "the source-date-epoch input is SOURCE_DATE_EPOCH");
            Assert.That(File.ReadAllText(work["summary.md"]), Does.Contain("qemu-aarch64-static"));
        });
    }

    [Test]
    public void Takes_one_hosts_packages_from_a_fetched_list_of_several_hosts()
    {
        var rpms = PackageFixtures.FedoraSplit(["aarch64", "riscv64"]);
        using var work = new TempDir("qus-tarballs-action");
        Directory.CreateDirectory(work["packages"]);
        var files = rpms.Select(rpm =>
        {
            File.Copy(rpm, work["packages/" + Path.GetFileName(rpm)]);
            return Listed("x86_64", rpm);
        }).Append(Listed("aarch64", "/nonexistent/qemu-user-static-aarch64-7.2.0-1.fc99.aarch64.rpm")).ToList();
        File.WriteAllText(work["packages/fetched.json"], new FetchedList("fedora", "7.2.0-1.fc99", files).ToJson());

        var chosen = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["fetched"] = work["packages/fetched.json"], ["host"] = "amd64", ["output"] = work["out"],
        }, ActionEnvironment.For(work), "chosen-");
        var unchosen = Action.Run(work.Path, new Dictionary<string, string>
        {
            ["fetched"] = work["packages/fetched.json"], ["output"] = work["out2"],
        }, ActionEnvironment.For(work), "unchosen-");

        Assert.Multiple(() =>
        {
            Assert.That(chosen.Succeeded, chosen.ToString());
            Assert.That(chosen.Outputs["targets"], Is.EqualTo("aarch64,riscv64"));
            Assert.That(ReleaseManifest.Load(work["out"]).Sources.Select(s => s.Sha256), Is.EquivalentTo(rpms.Select(Sha256Hex.OfFile)));
            Assert.That(unchosen.Succeeded, Is.False);
            Assert.That(unchosen.Steps["unchosen-tarballs"].StandardError.Trim(), Is.EqualTo(
                $"qus-tarballs: error: {work["packages/fetched.json"]}: lists packages for hosts x86_64, aarch64: choose one with --host"));
            Assert.That(Directory.Exists(work["out2"]), Is.False);
        });
    }

    private static FetchedFile Listed(string host, string path) => new(
        host, Path.GetFileName(path).Split("-7.2.0")[0], "7.2.0-1.fc99", host, "rpm", Path.GetFileName(path),
        System.IO.File.Exists(path) ? new FileInfo(path).Length : 1, System.IO.File.Exists(path) ? Sha256Hex.OfFile(path) : new string('0', 64),
        "https://kojipkgs.example/" + Path.GetFileName(path), ["size", "sha256"]);
}
