using System.Text;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Push;

/// <summary>
/// qus-push's registry authentication against Debian's real docker-registry: Docker Hub's token flow through a loopback
/// token service (the push scope asked for), and wrong credentials refused in one line that holds no secret.
/// </summary>
[NonParallelizable]
public sealed class PushCredentialsTests : TempDirTest
{
    private const string Username = "qus-bot";
    private const string Password = "push-secret-5d7e";
    private const string WrongPassword = "wrong-secret-3b8a";
    private const string Repository = "qus/qemu-user-static";
    private const string Tag = "x86_64-aarch64";

    private static string Token(string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{password}"));

    [Test]
    public async Task Pushes_through_the_token_flow_asking_for_the_push_scope_and_keeps_the_secret_off_disk_and_out_of_the_log()
    {
        await using var tokens = await TokenService.StartAsync(Username, Password);
        using var registry = LocalRegistry.WithTokens(tokens);

        var result = ToolProcess.RunTool("Qus.Push", Arguments(registry.Address), Environment(Password));

        var scopes = tokens.Requests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString() + registry.Log);
            Assert.That(scopes, Does.Contain(($"repository:{Repository}:pull,push", true)));
            Assert.That(scopes.Where(s => !s.Scope.EndsWith(":pull,push", StringComparison.Ordinal)), Is.Empty, "every token asked for has the push scope");
            Assert.That(scopes.Where(s => !s.Authenticated), Is.Empty, "the credentials went with every token request");
            Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain(Password).And.Not.Contain(Token(Password)));
            Assert.That(SecretOnDisk(Password), Is.Empty, "nothing on disk");
        });
        var check = OciInspect.Raw($"docker://{registry.Address}/{Repository}:{Tag}", $"--tls-verify=false --authfile '{registry.AuthFile(Username, Password)}'");
        Assert.That(check.Digest, Is.EqualTo(OciInspect.Tags(ImageLayouts.MultiHost)[Tag]));
    }

    [Test]
    public async Task A_wrong_password_fails_in_one_line_naming_the_registry_and_holding_no_secret()
    {
        await using var tokens = await TokenService.StartAsync(Username, Password);
        using var withTokens = LocalRegistry.WithTokens(tokens);
        using var withBasic = LocalRegistry.WithHtpasswd(Username, Password);

        foreach (var registry in new[] { withTokens, withBasic })
        {
            var result = ToolProcess.RunTool("Qus.Push", Arguments(registry.Address), Environment(WrongPassword));

            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
                Assert.That(result.StandardError.Trim(), Is.EqualTo(
                    $"qus-push: error: {registry.Address}/{Repository}: access denied (HTTP 401) with the credentials from QUS_REGISTRY_USERNAME and QUS_REGISTRY_PASSWORD"));
                Assert.That(result.StandardOutput + result.StandardError, Does.Not.Contain(WrongPassword).And.Not.Contain(Token(WrongPassword)));
            });
        }
    }

    private static string[] Arguments(string registry) =>
        ["--layout", ImageLayouts.MultiHost, "--to", $"{registry}/{Repository}", "--dest-tls-verify=false", "--tags", Tag, "--jobs", "2"];

    /// <summary>The tool's environment: credentials and private temporary and runtime folders.</summary>
    private Dictionary<string, string?> Environment(string password)
    {
        foreach (var folder in new[] { Temp["tmp"], Temp["runtime"] })
        {
            Directory.CreateDirectory(folder);
        }

        return new Dictionary<string, string?>
        {
            ["QUS_REGISTRY_USERNAME"] = Username, ["QUS_REGISTRY_PASSWORD"] = password,
            ["TMPDIR"] = Temp["tmp"], ["XDG_RUNTIME_DIR"] = Temp["runtime"],
        };
    }

    /// <summary>Files holding the password or its base64 token in the tool's temporary and runtime folders.</summary>
    private List<string> SecretOnDisk(string password)
    {
        // grep, because a recursive grep reads regular files only: a FIFO there would block a plain read for ever.
        var found = ToolProcess.Shell($"grep -rlF -e '{password}' -e '{Token(password)}' '{Temp["tmp"]}' '{Temp["runtime"]}' 2>/dev/null");
        return [.. found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
