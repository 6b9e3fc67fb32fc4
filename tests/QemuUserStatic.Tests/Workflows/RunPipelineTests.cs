using System.Diagnostics;
using System.Xml.Linq;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Workflows;

/// <summary>
/// tools/run-pipeline, the README's main command, end to end on this machine: real Fedora-layout RPMs through every
/// step into local folders, the tools packed and run as .NET tools through the local tool manifest by tools/Qus.Pipeline,
/// the base and the guest made from Debian's busybox-static (no Docker Hub); and its failures: one line, non-zero.
/// </summary>
[NonParallelizable]
public class RunPipelineTests
{
    private static readonly string[] Tags =
    [
        "latest", "7.2.0-1", "register", "aarch64", "aarch64-7.2.0-1", "riscv64", "riscv64-7.2.0-1",
        "x86_64-aarch64", "x86_64-aarch64-7.2.0-1", "x86_64-riscv64", "x86_64-riscv64-7.2.0-1",
    ];

    private static readonly Dictionary<string, string?> PipelineEnvironment = new()
    {
        ["XDG_CACHE_HOME"] = Path.Combine(PackageFixtures.CacheRoot, "run-pipeline-cache"),
        // The native qus-register builds the other tests use: the same sources are built once.
        ["QUS_NATIVE_CACHE"] = NativeRegister.Cache,
    };

    private static ProcessResult RunPipeline(params string[] args) =>
        ToolProcess.Run(Repo.Under("tools", "run-pipeline"), args, PipelineEnvironment, timeout: TimeSpan.FromMinutes(15));

    [Test]
    public void Runs_the_chain_from_local_packages_of_two_hosts_into_local_folders()
    {
        var rpms = PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]);
        var arm64 = PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"], arch: "aarch64", emulatorFolder: PackageFixtures.DebianEmulators("arm64"));
        using var work = new TempDir("qus-run-pipeline");
        var out_ = work["out"];

        var result = RunPipeline(
            "--packages", Path.GetDirectoryName(rpms[0])!, "--packages", Path.GetDirectoryName(arm64[0])!,
            "--targets", "aarch64,riscv64", "--out", out_, "--engine", "sandbox");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var tarballs = Path.Combine(out_, "tarballs", "x86_64");
        var armTarballs = Path.Combine(out_, "tarballs", "aarch64");
        var release = Path.Combine(out_, "release", "v7.2.0-1");
        var images = OciInspect.Tags(Path.Combine(out_, "images"));
        string[] armNames = ["aarch64_qemu-aarch64-static.tar.gz", "aarch64_qemu-riscv64-static.tar.gz", "aarch64_manifest.json", "aarch64_sbom.spdx.json"];
        string[] natives = ["qus-register-linux-x64", "qus-register-linux-arm64"];
        Assert.Multiple(() =>
        {
            Assert.That(ReleaseManifest.Load(tarballs).Targets.Select(t => t.Name), Is.EqualTo(new[] { "aarch64", "riscv64" }));
            Assert.That(ReleaseManifest.Load(armTarballs).Targets.Select(t => t.Name), Is.EqualTo(new[] { "aarch64", "riscv64" }));
            Assert.That(ToolProcess.Shell("sha256sum -c SHA256SUMS", workingDirectory: tarballs).ExitCode, Is.Zero);
            Assert.That(Directory.GetDirectories(Path.Combine(out_, "tarballs")), Is.EquivalentTo(new[] { tarballs, armTarballs }), "no staging folder left");
            Assert.That(images.Keys, Is.SupersetOf(Tags).And.Contain("aarch64-riscv64").And.Contain("aarch64-riscv64-7.2.0-1").And.Not.Contain("aarch64-aarch64"));
            Assert.That(OciInspect.Config($"oci:{out_}/images:latest")["config"]!["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "/register" }));
            foreach (var file in Directory.GetFiles(tarballs).Where(f => Path.GetFileName(f) != "SHA256SUMS"))
            {
                Assert.That(File.ReadAllBytes(Path.Combine(release, Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), Path.GetFileName(file));
            }

            Assert.That(Directory.GetFiles(release).Select(Path.GetFileName),
                Is.EquivalentTo(Directory.GetFiles(tarballs).Select(Path.GetFileName).Concat(armNames).Concat(natives).Append("RELEASE.md")),
                "the x86_64 folder whole, the aarch64 host's own names and both native qus-register beside it");
            Assert.That(ToolProcess.Run("env", ["-i", Path.Combine(release, "qus-register-linux-x64"), "--print-host-arch"]).StandardOutput, Is.EqualTo("x86_64\n"));
            Assert.That(File.ReadAllBytes(Path.Combine(release, "aarch64_qemu-riscv64-static.tar.gz")), Is.EqualTo(File.ReadAllBytes(Path.Combine(armTarballs, "aarch64_qemu-riscv64-static.tar.gz"))));
            Assert.That(ToolProcess.Shell("sha256sum --strict -c SHA256SUMS", workingDirectory: release).ExitCode, Is.Zero);
            Assert.That(File.ReadAllLines(Path.Combine(release, "SHA256SUMS")), Has.Length.EqualTo(12), "the x86_64 folder's 6 files and SBOM, the aarch64 host's 2 tarballs and SBOM, 2 native tools");
            Assert.That(File.ReadAllText(Path.Combine(release, "RELEASE.md")), Does.Contain("QEMU 7.2.0 "));
            Assert.That(OciInspect.Tags(Path.Combine(out_, "registry")), Is.EquivalentTo(images), "pushed into the local layout, digests kept");
            Assert.That(result.StandardError, Does.Contain("run-pipeline: done").And.Contain($"release   {release}").And.Contain($"pushed    oci:{out_}/registry"));
            var cases = XDocument.Load(Path.Combine(out_, "test", "qus-test.xml")).Descendants("testcase").ToList();
            Assert.That(cases, Is.Not.Empty);
            Assert.That(cases.SelectMany(c => c.Elements("failure").Concat(c.Elements("error"))), Is.Empty);
            Assert.That(result.StandardError, Does.Contain("(sandbox engine, passed)"));
        });
    }

    [Test]
    public void A_failing_step_ends_the_run_non_zero_naming_the_step_and_publishes_nothing()
    {
        using var work = new TempDir("qus-run-pipeline");
        Directory.CreateDirectory(work["packages"]);
        File.WriteAllText(work["packages/qemu-user-static-aarch64-7.2.0-1.fc99.x86_64.rpm"], "not an rpm");

        var result = RunPipeline("--packages", work["packages"], "--out", work["out"]);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StandardError, Does.Contain("qus-tarballs: error:").And.Contain("run-pipeline: failed in step: tarballs"));
        Assert.That(Directory.Exists(work["out/release"]), Is.False);
        Assert.That(Directory.Exists(work["out/registry"]), Is.False);
    }

    [Test]
    public void Bad_arguments_and_missing_prerequisites_are_one_line_before_anything_runs()
    {
        using var work = new TempDir("qus-run-pipeline");
        // A PATH with everything of this machine's but apt-get, and skopeo, umoci and jq, which the pipeline does not use.
        ToolProcess.ShellOrThrow(
            $"mkdir -p '{work["bin"]}' && for d in /usr/local/bin /usr/bin /bin; do for f in \"$d\"/*; do n=${{f##*/}}; " +
            $"case $n in apt-get|skopeo|umoci|jq) continue ;; esac; [ -e '{work["bin"]}'/\"$n\" ] || ln -s \"$f\" '{work["bin"]}'/\"$n\"; done; done");

        var missing = ToolProcess.Run(Repo.Under("tools", "run-pipeline"), ["--out", work["out"]], new Dictionary<string, string?> { ["PATH"] = work["bin"] });
        var unknown = RunPipeline("--frobnicate");
        var badEngine = RunPipeline("--engine", "podman");
        var noPackages = RunPipeline("--packages", work["nonexistent"]);

        Assert.Multiple(() =>
        {
            Assert.That((missing.ExitCode, missing.StandardError), Is.EqualTo((2, "run-pipeline: missing: apt-get (a Debian-like system, or give --base and --guest-image)\n")));
            Assert.That((unknown.ExitCode, unknown.StandardError), Is.EqualTo((2, "run-pipeline: unknown argument '--frobnicate' (see --help)\n")));
            Assert.That((badEngine.ExitCode, badEngine.StandardError), Is.EqualTo((2, "run-pipeline: --engine 'podman': expected auto, docker or sandbox\n")));
            Assert.That((noPackages.ExitCode, noPackages.StandardError), Is.EqualTo((2, $"run-pipeline: --packages {work["nonexistent"]}: no such file or folder\n")));
            Assert.That(Directory.Exists(work["out/tarballs"]), Is.False);
        });
    }

    [Test]
    public void SIGTERM_interrupts_the_running_step_and_its_children_and_leaves_no_output()
    {
        // This machine's 35 emulators: seconds of qus-tarballs work, in a grandchild (dotnet tool run starts the tool).
        using var work = new TempDir("qus-run-pipeline");
        Directory.CreateDirectory(work["emulators"]);
        foreach (var emulator in Directory.GetFiles("/usr/bin", "qemu-*-static"))
        {
            File.Copy(emulator, Path.Combine(work["emulators"], Path.GetFileName(emulator)));
        }

        var info = new ProcessStartInfo(Repo.Under("tools", "run-pipeline"))
        {
            ArgumentList = { "--packages", work["emulators"], "--out", work["out"], "--engine", "sandbox" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.Environment.Remove("GITHUB_ACTIONS");
        foreach (var (name, value) in PipelineEnvironment)
        {
            info.Environment[name] = value;
        }

        using var pipeline = Process.Start(info)!;
        var stderr = pipeline.StandardError.ReadToEndAsync();
        _ = pipeline.StandardOutput.ReadToEndAsync();
        try
        {
            // The known point: qus-tarballs has begun staging its output (pack and configuration come first).
            var staging = work["out/tarballs/.new-0"];
            var deadline = Stopwatch.StartNew();
            while (!(Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any()) && !pipeline.HasExited)
            {
                Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromMinutes(10)), "qus-tarballs never began");
                Thread.Sleep(20);
            }

            var tree = ProcessTree.Of(pipeline.Id);
            Assert.That(tree.Select(CommandLine), Has.Some.Contains("qus-tarballs.dll"), "the tool runs, under dotnet tool run");
            ProcessTree.Signal([pipeline.Id], ProcessTree.Terminate);

            Assert.That(pipeline.WaitForExit(TimeSpan.FromSeconds(30)), Is.True, "the run ends soon after the signal");
            Assert.Multiple(() =>
            {
                Assert.That(pipeline.ExitCode, Is.EqualTo(143), stderr.Result);
                var lines = stderr.Result.Split('\n');
                Assert.That(lines.Where(l => l.StartsWith("run-pipeline:", StringComparison.Ordinal)),
                    Is.EqualTo(new[] { "run-pipeline: interrupted by SIGTERM in step: tarballs" }), stderr.Result);
                Assert.That(lines, Does.Contain("qus-tarballs: error: interrupted"), "the tool stopped by its cancellation, not killed");
                Assert.That(tree.Where(ProcessTree.IsRunning), Is.Empty, "no process of the run's tree is left");
                Assert.That(Directory.GetFileSystemEntries(work["out/tarballs"]), Is.Empty, "no half-written tarballs folder, no staging");
            });
        }
        finally
        {
            if (!pipeline.HasExited)
            {
                pipeline.Kill(entireProcessTree: true);
            }
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
