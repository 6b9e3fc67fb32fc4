using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A loopback stand-in for Docker Hub's token service (auth.docker.io): <c>GET /token?service=…&amp;scope=…</c> with
/// HTTP Basic credentials answers <c>{"token": JWT}</c>, an ES256 JWT with the x5c certificate chain the real
/// registry verifies against its rootcertbundle (distribution's token spec). Wrong credentials get 401.
/// </summary>
public sealed class TokenService : IAsyncDisposable
{
    /// <summary>The registry's service name (the token audience).</summary>
    public const string Service = "qus-test-registry";

    /// <summary>The token issuer the registry trusts.</summary>
    public const string Issuer = "qus-test-issuer";

    private readonly ECDsa key;
    private readonly X509Certificate2 certificate;
    private readonly string username;
    private readonly string password;
    private LoopbackServer? server;

    private TokenService(string username, string password)
    {
        this.username = username;
        this.password = password;
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=qus-test-token-signer", key, HashAlgorithmName.SHA256);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Every token request: its scope and whether its credentials were right.</summary>
    public ConcurrentQueue<(string Scope, bool Authenticated)> Requests { get; } = new();

    /// <summary>The realm URL the registry sends clients to.</summary>
    public string Realm => new Uri(server!.BaseAddress, "token").ToString();

    /// <summary>The signing certificate, PEM, for the registry's rootcertbundle.</summary>
    public string CertificatePem => certificate.ExportCertificatePem();

    /// <summary>Starts a service that grants every requested scope to <paramref name="user"/>:<paramref name="secret"/>.</summary>
    public static async Task<TokenService> StartAsync(string user, string secret)
    {
        var service = new TokenService(user, secret);
        service.server = await LoopbackServer.StartAsync(service.HandleAsync);
        return service;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        certificate.Dispose();
        key.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var scopes = context.Request.Query["scope"].Select(s => s!).ToList();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        var authenticated = context.Request.Headers.Authorization.ToString() == expected;
        Requests.Enqueue((string.Join(' ', scopes), authenticated));
        if (!authenticated)
        {
            context.Response.StatusCode = 401;
            return;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            // repository:NAME:ACTIONS, NAME possibly holding a port-less path with slashes.
            var parts = scope.Split(':');
            access.Add(new JsonObject
            {
                ["type"] = parts[0],
                ["name"] = string.Join(':', parts[1..^1]),
                ["actions"] = new JsonArray(parts[^1].Split(',').Select(a => (JsonNode)a).ToArray()),
            });
        }

        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = username, ["aud"] = Service, ["exp"] = now + 600, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["token"] = signed + "." + Base64Url(signature), ["expires_in"] = 600 }.ToJsonString());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
