using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Fetch;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

public class KojiFetchTests
{
    // Real Fedora-layout RPMs built by rpmbuild: x86_64 host (the machine's emulators), aarch64 host (Debian's arm64 emulators).
    private static IReadOnlyList<string> X86Rpms => PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"]);

    private static IReadOnlyList<string> Aarch64Rpms =>
        PackageFixtures.FedoraSplit(["arm", "riscv64"], arch: "aarch64", emulatorFolder: PackageFixtures.DebianEmulators("arm64"));

    private static async Task<KojiStandIn> KojiWithBuildAsync(bool aarch64 = true)
    {
        var koji = await KojiStandIn.StartAsync();
        koji.AddBuild("7.1.0", "1.fc99");
        var build = koji.AddBuild("7.2.0", "1.fc99");
        foreach (var rpm in aarch64 ? X86Rpms.Concat(Aarch64Rpms) : X86Rpms)
        {
            koji.AddRpm(build, rpm);
        }

        return koji;
    }

    private static string[] Args(KojiStandIn koji, TempDir temp, string output, string version = "7.2.0") =>
    [
        "--source", "fedora", "--qemu-version", version, "--release", "1.fc99", "--host-arch", "x86_64", "--host-arch", "aarch64",
        "--koji-url", koji.Hub.ToString(), "--koji-topurl", koji.TopUrl.ToString(), "--output", output, "--cache", temp["cache"],
        "--config", temp["qus.yml"],
    ];

    [Test]
    public async Task Fetches_every_emulator_rpm_of_the_build_for_each_host_and_a_second_run_asks_nothing()
    {
        await using var koji = await KojiWithBuildAsync();
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\n");

        var first = ToolProcess.RunTool("Qus.Fetch", Args(koji, temp, temp["out"]));

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var fetched = FetchedList.Read(temp["out/fetched.json"]);
        var expected = X86Rpms.Select(r => ("x86_64", Path.GetFileName(r))).Concat(Aarch64Rpms.Select(r => ("aarch64", Path.GetFileName(r))));
        Assert.That(fetched.Files.Select(f => (f.Host, f.Name)), Is.EqualTo(expected));
        Assert.That(fetched.Files.Select(f => f.Package), Is.EqualTo(new[]
        {
            "qemu-user-static-aarch64", "qemu-user-static-arm", "qemu-user-static-riscv", "qemu-user-static-arm", "qemu-user-static-riscv",
        }));
        foreach (var (file, original) in fetched.Files.Zip(X86Rpms.Concat(Aarch64Rpms)))
        {
            Assert.That(Sha256Hex.OfFile(temp["out/" + file.Name]), Is.EqualTo(Sha256Hex.OfFile(original)));
            Assert.That(file.Checks, Does.Contain("sha256"), "checked against getRPMChecksums");
            Assert.That(file.Url, Does.Contain("/packages/qemu/7.2.0/1.fc99/data/signed/a15b79cc/"));
        }

        Assert.That(koji.Calls, Does.Contain("getBuild").And.Contain("listRPMs").And.Contain("getRPMChecksums"));
        var (calls, files) = (koji.Calls.Count, koji.Files.Requests.Count);
        var second = ToolProcess.RunTool("Qus.Fetch", Args(koji, temp, temp["out2"]));

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That((koji.Calls.Count, koji.Files.Requests.Count), Is.EqualTo((calls, files)), "the second run asks Koji nothing");
        Assert.That(File.ReadAllBytes(temp["out2/fetched.json"]), Is.EqualTo(File.ReadAllBytes(temp["out/fetched.json"])));
    }

    [Test]
    public async Task Without_published_checksums_the_rpm_as_built_is_taken_and_checked_by_size()
    {
        await using var koji = await KojiWithBuildAsync(aarch64: false);
        koji.SupportsChecksums = false;
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64"));

        Assert.That(fetched.Files, Has.Count.EqualTo(3));
        Assert.That(fetched.Files.Select(f => f.Checks), Has.All.EqualTo(new[] { "size", "koji-payloadhash", "rpm-digests", "identity" }));
        Assert.That(fetched.Files.Select(f => f.Url), Has.All.Contain("/packages/qemu/7.2.0/1.fc99/x86_64/"));
        Assert.That(fetched.Files.Select(f => f.Sha256), Is.EqualTo(X86Rpms.Select(Sha256Hex.OfFile)));
    }

    [Test]
    public async Task A_dropped_rpm_download_resumes_and_a_503_is_retried()
    {
        await using var koji = await KojiWithBuildAsync(aarch64: false);
        var names = X86Rpms.Select(Path.GetFileName).ToList();
        koji.Files.Inject(koji.PathOf(names[0]!), FileFault.DropHalfway);
        koji.Files.Inject(koji.PathOf(names[1]!), FileFault.ServiceUnavailable);
        using var harness = new FetchHarness();

        var fetched = await harness.FetchAsync(FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64"));

        Assert.That(koji.Files.Requests.Where(r => r.Path == koji.PathOf(names[0]!)).Select(r => r.Range?.StartsWith("bytes=", StringComparison.Ordinal)), Is.EqualTo(new bool?[] { null, true }));
        Assert.That(koji.Files.Requests.Count(r => r.Path == koji.PathOf(names[1]!)), Is.EqualTo(2));
        Assert.That(fetched.Files.Select(f => f.Sha256), Is.EqualTo(X86Rpms.Select(Sha256Hex.OfFile)));
    }

    [Test]
    public async Task No_build_for_the_version_is_one_line_naming_the_hub_and_build()
    {
        await using var koji = await KojiWithBuildAsync(aarch64: false);
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\n");

        var result = ToolProcess.RunTool("Qus.Fetch", Args(koji, temp, temp["out"], version: "7.3.0"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StandardError.Trim(), Does.EndWith($"qus-fetch: error: {koji.Hub}: no build qemu-7.3.0-1.fc99 in Koji (getBuild)"));
        Assert.That(Directory.Exists(temp["out"]), Is.False);
    }

    [Test]
    public async Task Check_exits_10_for_a_newer_stable_build_and_0_when_only_a_release_candidate_is_newer()
    {
        await using var koji = await KojiStandIn.StartAsync();
        koji.AddBuild("7.2.0", "1.fc99");
        koji.AddBuild("7.1.0", "3.fc99");
        koji.AddBuild("8.0.0", "0.1.rc2.fc99");
        koji.AddBuild("8.0.0~rc3", "1.fc99");
        koji.AddBuild("9.0.0", "1.fc99", state: 3); // FAILED
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\nqemu: {version: 7.2.0, release: 1.fc99}\nhosts: [x86_64]\n");
        string[] args = ["--check", "--config", temp["qus.yml"], "--koji-url", koji.Hub.ToString(), "--cache", temp["cache"]];

        var current = ToolProcess.RunTool("Qus.Fetch", args, new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["o1"] });

        Assert.That(current.ExitCode, Is.EqualTo(0), current.ToString());
        Assert.That(current.StandardOutput, Is.EqualTo("current: 7.2.0-1.fc99\nlatest: 7.2.0-1.fc99\n"));
        Assert.That(File.ReadAllText(temp["o1"]), Does.Contain("newer=false"));
        Assert.That(koji.Calls, Is.EqualTo(new[] { "getPackageID", "listBuilds" }));

        koji.AddBuild("7.2.10", "1.fc99");
        var newer = ToolProcess.RunTool("Qus.Fetch", args, new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = temp["o2"] });

        Assert.That(newer.ExitCode, Is.EqualTo(10), newer.ToString());
        Assert.That(newer.StandardOutput, Is.EqualTo("current: 7.2.0-1.fc99\nlatest: 7.2.10-1.fc99\n"));
        Assert.That(File.ReadAllText(temp["o2"]), Is.EqualTo("current=7.2.0-1.fc99\nlatest=7.2.10-1.fc99\nnewer=true\n"));
    }

    [Test]
    public async Task Json_prints_what_fetched_json_says_and_a_check_as_one_object_each()
    {
        await using var koji = await KojiWithBuildAsync(aarch64: false);
        using var temp = new TempDir();
        File.WriteAllText(temp["qus.yml"], "source: fedora\nqemu: {version: 7.1.0, release: 3.fc99}\nhosts: [x86_64]\n");
        string[] common = ["--config", temp["qus.yml"], "--koji-url", koji.Hub.ToString(), "--koji-topurl", koji.TopUrl.ToString(), "--cache", temp["cache"], "--json"];

        var result = ToolProcess.RunTool("Qus.Fetch", [.. common, "--qemu-version", "7.2.0", "--release", "1.fc99", "--output", temp["out"]]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        var fetched = FetchedList.Read(temp["out/fetched.json"]);
        var files = json["fetched"]!["files"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(json["output"]!.GetValue<string>(), Is.EqualTo(temp["out"]));
            Assert.That(json["fetchedFile"]!.GetValue<string>(), Is.EqualTo(temp["out/fetched.json"]));
            Assert.That(json["fetched"]!["version"]!.GetValue<string>(), Is.EqualTo("7.2.0-1.fc99"));
            Assert.That(files.Select(f => (f!["name"]!.GetValue<string>(), f["sha256"]!.GetValue<string>())),
                Is.EqualTo(fetched.Files.Select(f => (f.Name, Sha256Hex.OfFile(temp["out/" + f.Name])))));
            Assert.That(StepJson.Strings(files[0]!["checks"]), Is.EqualTo(fetched.Files[0].Checks));
            Assert.That(json.ContainsKey("check"), Is.False);
            Assert.That(result.StandardError, Does.Contain($"{fetched.Files[0].Name}  {fetched.Files[0].Size}  sha256:"), "the lines stdout has otherwise");
        });

        var check = ToolProcess.RunTool("Qus.Fetch", [.. common, "--check"]);

        Assert.That(check.ExitCode, Is.EqualTo(VersionCheck.NewerExitCode), check.ToString());
        var outcome = StepJson.Parse(check)["check"]!;
        Assert.That((outcome["current"]!.GetValue<string>(), outcome["latest"]!.GetValue<string>(), outcome["newer"]!.GetValue<bool>()),
            Is.EqualTo(("7.1.0-3.fc99", "7.2.0-1.fc99", true)));
    }

    [Test]
    public async Task A_package_verifier_can_reject_a_package_and_nothing_is_written()
    {
        await using var koji = await KojiWithBuildAsync(aarch64: false);
        using var harness = new FetchHarness();
        var seen = new List<(string Name, string? PayloadMd5, string Path)>();
        var verifier = new DelegateVerifier((package, path) =>
        {
            seen.Add((package.Name, package.PayloadMd5, path));
            return package.Name.EndsWith("-arm", StringComparison.Ordinal)
                ? throw new UserException($"{Path.GetFileName(path)}: payload digest mismatch")
                : ["test-check"];
        });

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64"), verifier));

        Assert.That(ex!.Message, Does.EndWith("qemu-user-static-arm-7.2.0-1.fc99.x86_64.rpm: payload digest mismatch"));
        Assert.That(Directory.Exists(harness.Output), Is.False, "nothing published when one package fails");
        var sigmd5 = ToolProcess.ShellOrThrow($"rpm -qp --nosignature --qf '%{{SIGMD5}}' '{X86Rpms[0]}'");
        Assert.That(seen[0].PayloadMd5, Is.EqualTo(sigmd5), "the verifier gets Koji's payloadhash to compare with the header");
        Assert.That(File.Exists(seen[0].Path), Is.True);

        var accepting = new DelegateVerifier((_, _) => ["test-check"]);
        var fetched = await harness.FetchAsync(FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64"), accepting);
        Assert.That(fetched.Files.Select(f => f.Checks), Has.All.EqualTo(new[] { "sha256", "test-check" }));
    }

    [Test]
    public async Task The_package_reader_rejects_an_rpm_whose_file_digests_do_not_match_even_when_Koji_vouches_for_it()
    {
        using var temp = new TempDir();
        var broken = BrokenPackages.FileContentChanged(temp.Path);
        await using var koji = await KojiStandIn.StartAsync();
        koji.AddRpm(koji.AddBuild("7.2.0", "1.fc99"), broken);
        using var harness = new FetchHarness();

        var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64")));

        Assert.That(ex!.Message, Does.Contain("qemu-user-static-s390x-7.2.0-1.fc99.x86_64.rpm").And.Contain("qemu-s390x-static"));
        Assert.That(Directory.Exists(harness.Output), Is.False, "nothing published");
    }

    [Test]
    public async Task Keyring_accepts_rpms_signed_by_the_key_and_rejects_other_keys_and_unsigned_rpms()
    {
        using var keys = new TempDir("qus-keys");
        var signed = keys["signed.rpm"];
        File.Copy(X86Rpms[0], signed);
        var (key, otherKey) = (TestSigningKey.Create(keys["a"], "signer@qus.test"), TestSigningKey.Create(keys["b"], "other@qus.test"));
        key.Sign(signed);
        await using var koji = await KojiStandIn.StartAsync();
        var build = koji.AddBuild("7.2.0", "1.fc99");
        koji.AddRpm(build, X86Rpms[0], signedCopy: signed);
        var request = FetchHarness.Fedora(koji, "7.2.0", "1.fc99", "x86_64");

        using (var harness = new FetchHarness())
        {
            var fetched = await harness.FetchAsync(request, new RpmSignatureVerifier(key.PublicKey));
            Assert.That(fetched.Files.Single().Checks, Is.EqualTo(new[] { "sha256", "signature" }));
        }

        using (var harness = new FetchHarness())
        {
            var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(request, new RpmSignatureVerifier(otherKey.PublicKey)));
            Assert.That(ex!.Message, Does.Contain("signature check against b.asc failed").And.Contain("NOKEY"));
            Assert.That(Directory.Exists(harness.Output), Is.False);
        }

        koji.SupportsChecksums = false; // the RPM as built, unsigned
        using (var harness = new FetchHarness())
        {
            var ex = Assert.ThrowsAsync<UserException>(() => harness.FetchAsync(request, new RpmSignatureVerifier(key.PublicKey)));
            Assert.That(ex!.Message, Does.EndWith("failed: the package is not signed"));
        }
    }

    private sealed class DelegateVerifier(Func<RepositoryPackage, string, IReadOnlyList<string>> verify) : IPackageVerifier
    {
        public Task<IReadOnlyList<string>> VerifyAsync(RepositoryPackage package, string path, CancellationToken cancellationToken) =>
            Task.FromResult(verify(package, path));
    }
}
