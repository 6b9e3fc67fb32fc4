using System.Text;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Push;

/// <summary>
/// Where qus-push's registry credentials are while it runs and after it ends, however it ends: skopeo is the real
/// one, behind a wrapper on PATH that records what it was given and looks for the secret on disk at that moment.
/// </summary>
[NonParallelizable]
public sealed class PushCredentialsTests : TempDirTest
{
    private const string Username = "qus-bot";
    private const string Password = "push-secret-5d7e";
    private const string Repository = "qus/qemu-user-static";

    private static string Token => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    [Test]
    public void Credentials_reach_skopeo_from_memory_and_are_never_on_disk()
    {
        using var registry = LocalRegistry.WithHtpasswd(Username, Password);

        var result = ToolProcess.RunTool("Qus.Push", Arguments(registry.Address), Environment());
        var seen = File.ReadAllText(Temp["seen"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(seen, Does.Match(@"authfile /proc/\d+/fd/\d+\nlink /memfd:qus-push-auth\.json \(deleted\)\n"), "an in-memory file");
            Assert.That(seen, Does.Contain("secret on disk: none"), "nothing on disk while skopeo runs");
            Assert.That(seen, Does.Not.Contain(Password).And.Not.Contain(Token), "not on skopeo's command line");
            Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain(Password).And.Not.Contain(Token));
            Assert.That(SecretOnDisk(), Is.Empty, "nothing on disk afterwards");
        });
    }

    [Test]
    public void A_push_killed_while_skopeo_runs_leaves_no_credentials_behind()
    {
        var stalled = Temp["stalled-pid"];
        var environment = Environment();
        environment["QUS_TEST_STALL"] = stalled;
        string? authFile = null;

        var killed = ToolProcess.RunToolAndKill("Qus.Push", Arguments("127.0.0.1:9"), () => File.Exists(stalled), environment);
        try
        {
            authFile = File.ReadAllLines(Temp["seen"]).Single(l => l.StartsWith("authfile ", StringComparison.Ordinal))["authfile ".Length..];
            Assert.Multiple(() =>
            {
                Assert.That(killed, Is.True, "killed while skopeo ran");
                Assert.That(File.Exists(authFile), Is.False, "the in-memory file went with the process");
                Assert.That(SecretOnDisk(), Is.Empty);
                Assert.That(Directory.EnumerateFileSystemEntries(Temp["tmp"]), Is.Empty, "no temporary folder left");
            });
        }
        finally
        {
            // The stalled wrapper outlives the killed tool: end it, by the id it wrote.
            ToolProcess.Run("kill", [File.ReadAllText(stalled).Trim()]);
        }
    }

    private static string[] Arguments(string registry) =>
        ["--layout", ImageLayouts.MultiHost, "--to", $"{registry}/{Repository}", "--dest-tls-verify=false", "--tags", "x86_64-aarch64", "--jobs", "1"];

    /// <summary>The tool's environment: credentials, private temporary and runtime folders, and the skopeo wrapper first on PATH.</summary>
    private Dictionary<string, string?> Environment()
    {
        var bin = Temp["bin"];
        foreach (var folder in new[] { bin, Temp["tmp"], Temp["runtime"] })
        {
            Directory.CreateDirectory(folder);
        }

        var wrapper = Path.Combine(bin, "skopeo");
        File.WriteAllText(wrapper, $$"""
            #!/bin/sh
            # Records how qus-push hands the credentials over, looks for them on disk, then runs the real skopeo.
            seen='{{Temp["seen"]}}'
            previous=
            for argument in "$@"; do
              if [ "$previous" = --dest-authfile ]; then
                echo "authfile $argument" >> "$seen"
                echo "link $(readlink "$argument")" >> "$seen"
              fi
              previous=$argument
            done
            echo "arguments $*" >> "$seen"
            found=$(grep -rlF -e '{{Password}}' -e '{{Token}}' '{{Temp["tmp"]}}' '{{Temp["runtime"]}}' /tmp/qus-push-* 2>/dev/null)
            echo "secret on disk: ${found:-none}" >> "$seen"
            if [ -n "$QUS_TEST_STALL" ]; then
              echo $$ > "$QUS_TEST_STALL.tmp" && mv "$QUS_TEST_STALL.tmp" "$QUS_TEST_STALL"
              exec sleep 120
            fi
            exec /usr/bin/skopeo "$@"
            """.Replace("\r", ""));
        ToolProcess.ShellOrThrow($"chmod 0700 '{wrapper}'");
        return new Dictionary<string, string?>
        {
            ["QUS_REGISTRY_USERNAME"] = Username, ["QUS_REGISTRY_PASSWORD"] = Password,
            ["TMPDIR"] = Temp["tmp"], ["XDG_RUNTIME_DIR"] = Temp["runtime"],
            // The runtime's own debugger pipes would stay in TMPDIR after a kill; they are not the tool's.
            ["DOTNET_EnableDiagnostics"] = "0",
            ["PATH"] = $"{bin}:{System.Environment.GetEnvironmentVariable("PATH")}",
        };
    }

    /// <summary>Files holding the password or its base64 token in the tool's temporary and runtime folders (or the old /tmp/qus-push-*).</summary>
    private List<string> SecretOnDisk()
    {
        // grep, because a recursive grep reads regular files only: a FIFO there would block a plain read for ever.
        var found = ToolProcess.Shell($"grep -rlF -e '{Password}' -e '{Token}' '{Temp["tmp"]}' '{Temp["runtime"]}' /tmp/qus-push-* 2>/dev/null");
        return [.. found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
