using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Debian's real <c>docker-registry</c> (distribution 2.x) on a free 127.0.0.1 port with its own config and storage
/// folder: open, with htpasswd (bcrypt, made by <c>htpasswd -Bbn</c>), or with token authentication against a
/// loopback token service. Stopped (the process this started, by its id) and deleted on dispose.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    private readonly TempDir folder;
    private readonly Process process;

    private LocalRegistry(TempDir folder, Process process, int port)
    {
        this.folder = folder;
        this.process = process;
        Address = $"127.0.0.1:{port}";
    }

    /// <summary>HOST:PORT, as image references name it.</summary>
    public string Address { get; }

    /// <summary>The registry's log (access lines included).</summary>
    public string Log => File.ReadAllText(folder["registry.log"]);

    /// <summary>Bytes the registry stores for blobs (what a registry pays for an image set).</summary>
    public long BlobBytes =>
        Directory.Exists(folder["data/docker/registry/v2/blobs"])
            ? Directory.EnumerateFiles(folder["data/docker/registry/v2/blobs"], "data", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;

    /// <summary>A registry anyone may push to and pull from.</summary>
    public static LocalRegistry Open() => Start("");

    /// <summary>A registry that wants HTTP Basic credentials <paramref name="username"/>:<paramref name="password"/>.</summary>
    public static LocalRegistry WithHtpasswd(string username, string password) => Start(
        "auth:\n  htpasswd:\n    realm: qus-test\n    path: {0}/htpasswd\n",
        dir => ToolProcess.ShellOrThrow($"htpasswd -Bbn '{username}' '{password}' > '{dir}/htpasswd'"));

    /// <summary>A registry that wants bearer tokens from <paramref name="tokens"/> (Docker Hub's scheme).</summary>
    public static LocalRegistry WithTokens(TokenService tokens) => Start(
        $"auth:\n  token:\n    realm: {tokens.Realm}\n    service: {TokenService.Service}\n    issuer: {TokenService.Issuer}\n    rootcertbundle: {{0}}/token.pem\n",
        dir => File.WriteAllText(Path.Combine(dir, "token.pem"), tokens.CertificatePem));

    /// <summary>Writes an auth.json for skopeo's <c>--authfile</c> with credentials for this registry.</summary>
    public string AuthFile(string username, string password)
    {
        var path = folder["auth.json"];
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        File.WriteAllText(path, "{\"auths\":{\"" + Address + "\":{\"auth\":\"" + auth + "\"}}}");
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
        folder.Dispose();
    }

    private static LocalRegistry Start(string authSection, Action<string>? prepare = null)
    {
        var dir = new TempDir("qus-registry");
        prepare?.Invoke(dir.Path);
        var port = FreePort();
        var config =
            "version: 0.1\nlog:\n  level: info\n" +
            $"storage:\n  filesystem:\n    rootdirectory: {dir.Path}/data\n  delete:\n    enabled: true\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n  secret: qus-test-secret\n" +
            string.Format(System.Globalization.CultureInfo.InvariantCulture, authSection, dir.Path);
        File.WriteAllText(dir["config.yml"], config);
        var info = new ProcessStartInfo("sh", ["-c", $"exec docker-registry serve '{dir["config.yml"]}' >'{dir["registry.log"]}' 2>&1"])
        {
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var registry = new LocalRegistry(dir, process, port);
        registry.WaitUntilAnswering();
        return registry;
    }

    private void WaitUntilAnswering()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("docker-registry exited:\n" + Log);
            }

            try
            {
                using var response = http.GetAsync($"http://{Address}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException("docker-registry did not answer:\n" + Log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
