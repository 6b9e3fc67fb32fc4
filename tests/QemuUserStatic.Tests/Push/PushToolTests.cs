using System.Text.Json.Nodes;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Push;

/// <summary>qus-push run as a real process against Debian's real docker-registry, through a counting, fault-injecting proxy.</summary>
[NonParallelizable]
public sealed class PushToolTests
{
    private const string Repository = "qus/qemu-user-static";
    private readonly TempDir work = new("qus-push");
    private readonly string layout = ImageLayouts.MultiHost;

    [OneTimeTearDown]
    public void CleanUp() => work.Dispose();

    [Test]
    public async Task PushesEveryTagWithItsDigestAndEachBlobOnceThenNothingAgain()
    {
        using var registry = LocalRegistry.Open();
        await using var proxy = await RegistryProxy.StartAsync(registry.Address);
        var output = work["github-output"];

        var first = Push(proxy.Address, new Dictionary<string, string?> { ["GITHUB_OUTPUT"] = output });
        var firstUploads = proxy.BlobUploads;
        proxy.ResetCount();
        var before = proxy.Requests.Count;
        var second = Push(proxy.Address);
        var again = proxy.Requests.Skip(before).ToList();

        var tags = OciInspect.Tags(layout);
        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(firstUploads, Is.EqualTo(UniqueBlobs()), string.Join('\n', proxy.Requests));
            Assert.That(proxy.BlobUploads, Is.Zero, "an unchanged layout uploads no blob again");
            Assert.That(again.Where(r => r.StartsWith("POST ", StringComparison.Ordinal) || r.Contains("/blobs/uploads/", StringComparison.Ordinal)),
                Is.Empty, "no upload is even started for a blob the registry has");
            Assert.That(again.Count(r => r.StartsWith("HEAD ", StringComparison.Ordinal) && r.Contains("/blobs/sha256:", StringComparison.Ordinal)),
                Is.GreaterThanOrEqualTo(UniqueBlobs()), "each blob is asked for");
            Assert.That(first.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                Is.EquivalentTo(tags.Select(t => $"{proxy.Address}/{Repository}:{t.Key}@{t.Value}")));
        });
        foreach (var (tag, digest) in tags)
        {
            // What the registry serves (through the proxy and directly) is byte for byte the layout's manifest or index.
            Assert.That(OciInspect.Raw($"docker://{registry.Address}/{Repository}:{tag}", "--tls-verify=false").Digest, Is.EqualTo(digest), tag);
        }

        var latest = OciInspect.Raw($"docker://{registry.Address}/{Repository}:latest", "--tls-verify=false").Json;
        var outputs = File.ReadAllText(output);
        var json = JsonNode.Parse(outputs.Split('\n').Single(l => l.StartsWith("digests-json=", StringComparison.Ordinal))["digests-json=".Length..])!;
        Assert.Multiple(() =>
        {
            Assert.That(latest["manifests"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(outputs, Does.Contain($"latest {tags["latest"]}"));
            Assert.That(json["x86_64-aarch64"]!.GetValue<string>(), Is.EqualTo(tags["x86_64-aarch64"]));
        });
    }

    [Test]
    public void PushesWithCredentialsFromTheEnvironmentWithoutShowingThem()
    {
        const string password = "push-secret-91c2";
        using var registry = LocalRegistry.WithHtpasswd("qus-bot", password);
        var temp = work["tmp"];
        Directory.CreateDirectory(temp);

        var anonymous = Push(registry.Address, tags: "x86_64-aarch64");
        var pushed = Push(registry.Address, new Dictionary<string, string?>
        {
            ["QUS_REGISTRY_USERNAME"] = "qus-bot", ["QUS_REGISTRY_PASSWORD"] = password, ["TMPDIR"] = temp,
        }, tags: "x86_64-aarch64,latest");
        var half = Push(registry.Address, new Dictionary<string, string?> { ["QUS_REGISTRY_USERNAME"] = "qus-bot" }, tags: "latest");

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.ExitCode, Is.EqualTo(1), anonymous.ToString());
            Assert.That(anonymous.StandardError.Trim().Split('\n')[^1], Does.StartWith("qus-push: error: ")
                .And.EndWith($"{registry.Address}/{Repository}: access denied (HTTP 401); set QUS_REGISTRY_USERNAME and QUS_REGISTRY_PASSWORD"));
            Assert.That(pushed.ExitCode, Is.Zero, pushed.ToString());
            Assert.That(pushed.StandardOutput + pushed.StandardError, Does.Not.Contain(password));
            Assert.That(Directory.EnumerateFileSystemEntries(temp), Is.Empty, "nothing written to the temporary folder");
            Assert.That(pushed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
            Assert.That(half.ExitCode, Is.EqualTo(1));
            Assert.That(half.StandardError, Does.Contain("set both QUS_REGISTRY_USERNAME and QUS_REGISTRY_PASSWORD"));
        });
        var check = OciInspect.Raw($"docker://{registry.Address}/{Repository}:latest", $"--tls-verify=false --authfile '{registry.AuthFile("qus-bot", password)}'");
        Assert.That(check.Digest, Is.EqualTo(OciInspect.Tags(layout)["latest"]));
    }

    [Test]
    public async Task RetriesServerErrorsAndDroppedConnections()
    {
        using var registry = LocalRegistry.Open();
        await using var proxy = await RegistryProxy.StartAsync(registry.Address);
        proxy.FailUploadStarts(2);
        proxy.DropManifestPuts(1);

        var result = Push(proxy.Address, tags: "x86_64-riscv64,aarch64-riscv64", jobs: "1");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.StandardError, Does.Contain("retrying in"));
            Assert.That(OciInspect.Raw($"docker://{registry.Address}/{Repository}:aarch64-riscv64", "--tls-verify=false").Digest,
                Is.EqualTo(OciInspect.Tags(layout)["aarch64-riscv64"]));
        });
    }

    [Test]
    public void JsonPrintsEveryPushedTagWithItsDigestAsOneObject()
    {
        var target = work["json-layout"];

        var result = ToolProcess.RunTool("Qus.Push", ["--layout", layout, "--to", $"oci:{target}", "--tags", "latest,register", "--json"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var json = StepJson.Parse(result);
        var tags = OciInspect.Tags(layout);
        var pushed = json["pushed"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(json["destination"]!.GetValue<string>(), Does.Contain(target));
            Assert.That(pushed.Select(p => p!["tag"]!.GetValue<string>()), Is.EqualTo(new[] { "latest", "register" }));
            Assert.That(pushed.Select(p => p!["digest"]!.GetValue<string>()), Is.EqualTo(new[] { tags["latest"], tags["register"] }));
            Assert.That(pushed.Select(p => p!["digest"]!.GetValue<string>()), Is.EqualTo(new[] { OciInspect.Tags(target)["latest"], OciInspect.Tags(target)["register"] }));
            Assert.That(result.StandardError, Does.Contain($"@{tags["latest"]}"), "the lines stdout has otherwise");
        });
    }

    [Test]
    public void AnInsecureRegistrySpeakingPlainHttpIsReachedOnlyWithDestTlsVerifyFalse()
    {
        // A name for 127.0.0.1 that is neither "localhost" nor a loopback address, so qus-push takes it for HTTPS by
        // default. The tool runs in a private mount namespace whose /etc/hosts has the name, so no machine setting
        // is needed or changed (the machine's own name will not do: .NET resolves it to its network addresses).
        using var registry = LocalRegistry.Open();
        const string Name = "qus-insecure-registry.test";
        var named = Name + ":" + registry.Address.Split(':')[1];
        var hosts = work["hosts"];
        File.WriteAllText(hosts, File.ReadAllText("/etc/hosts") + $"\n127.0.0.1 {Name}\n");
        ProcessResult PushNamed(params string[] extra) => ToolProcess.Run("unshare",
            ["-m", "sh", "-c", "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts,
             "dotnet", "exec", Repo.ToolDll("Qus.Push"), "--layout", layout, "--to", $"{named}/{Repository}", "--tags", "x86_64-aarch64", .. extra]);

        var insecure = PushNamed("--dest-tls-verify=false");
        var verified = PushNamed();

        var digest = OciInspect.Tags(layout)["x86_64-aarch64"];
        Assert.Multiple(() =>
        {
            Assert.That(insecure.ExitCode, Is.Zero, insecure.ToString());
            Assert.That(insecure.StandardOutput.Trim(), Is.EqualTo($"{named}/{Repository}:x86_64-aarch64@{digest}"));
            Assert.That(insecure.StandardError, Does.Not.Contain("retrying"), "a failed TLS handshake is not retried");
            Assert.That(verified.ExitCode, Is.EqualTo(1), verified.ToString());
            Assert.That(verified.StandardError.Trim(), Does.StartWith($"qus-push: error: https://{named}/v2/").And.Not.Contain("\n"));
            Assert.That(verified.StandardError, Does.Not.Contain("retrying"));
        });
        Assert.That(OciInspect.Raw($"docker://{registry.Address}/{Repository}:x86_64-aarch64", "--tls-verify=false").Digest, Is.EqualTo(digest));
    }

    [TestCase("--layout", "/nonexistent/layout", "not an OCI image layout")]
    [TestCase("--to", "127.0.0.1:5000/qus:latest", "repository only")]
    [TestCase("--tags", "sparc64", "--tags: no tag 'sparc64'")]
    public void BadArgumentsAreOneLine(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--layout"] = layout, ["--to"] = "127.0.0.1:9/qus", [option] = value };

        var result = ToolProcess.RunTool("Qus.Push", args.SelectMany(a => new[] { a.Key, a.Value }));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StandardError.Trim(), Does.StartWith("qus-push: error: ").And.Contain(message).And.Not.Contain("\n"));
        });
    }

    private ProcessResult Push(string registry, IDictionary<string, string?>? environment = null, string? tags = null, string jobs = "4")
    {
        List<string> args = ["--layout", layout, "--to", $"{registry}/{Repository}", "--dest-tls-verify=false", "--jobs", jobs];
        if (tags is not null)
        {
            args.AddRange(["--tags", tags]);
        }

        return ToolProcess.RunTool("Qus.Push", args, environment);
    }

    // Configs and layers of every tag (manifests and indexes are not blob uploads).
    private int UniqueBlobs()
    {
        var blobs = new HashSet<string>();
        void Visit(string digest)
        {
            var json = JsonNode.Parse(File.ReadAllBytes(OciInspect.Blob(layout, digest)))!;
            foreach (var child in json["manifests"]?.AsArray() ?? [])
            {
                Visit(child!["digest"]!.GetValue<string>());
            }

            if (json["config"] is { } config)
            {
                blobs.Add(config["digest"]!.GetValue<string>());
                blobs.UnionWith(OciInspect.Layers(json));
            }
        }

        foreach (var digest in OciInspect.Tags(layout).Values)
        {
            Visit(digest);
        }

        return blobs.Count;
    }
}
