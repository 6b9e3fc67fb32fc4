using System.Globalization;
using System.Net;
using System.Reflection;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Net;

/// <summary>
/// The one HTTP set-up of every tool: one user agent, one timeout policy (each attempt bounded, no overall limit that
/// would cut retries short), one retrying handler and one retry-message format.
/// </summary>
public static class QusHttp
{
    /// <summary>The longest one attempt of a request may take (an upload or a blob download included).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The user agent every request sends: <c>qemu-user-static-cs/VERSION</c>.</summary>
    public static string UserAgent { get; } = "qemu-user-static-cs/" + Version;

    /// <summary>The program version (without build metadata), as the user agent carries it.</summary>
    public static string Version =>
        typeof(QusHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>The one retry line: <c>retrying in 1.0 s: WHY</c> (WHY never holds headers or query strings).</summary>
    public static string RetryLine(string why, TimeSpan wait) =>
        string.Create(CultureInfo.InvariantCulture, $"retrying in {wait.TotalSeconds:0.0} s: {why}");

    /// <summary>Each retry as one <see cref="RetryLine"/> on <paramref name="reporter"/> (nothing when null).</summary>
    public static Action<string, TimeSpan> ReportTo(Reporter? reporter) => (why, wait) => reporter?.Line(RetryLine(why, wait));

    /// <summary>
    /// The handler stack: retries (<see cref="RetryingHttpHandler"/>) over a per-attempt timeout over sockets;
    /// <paramref name="followRedirects"/> false for Octokit, which follows them itself and drops the token across hosts;
    /// <paramref name="verifyCertificates"/> false only for a registry the user marked insecure (<c>--dest-tls-verify=false</c>).
    /// </summary>
    public static HttpMessageHandler CreateHandler(
        RetryPolicy policy, Action<string, TimeSpan>? onRetry, bool followRedirects = true, TimeSpan? attemptTimeout = null,
        bool verifyCertificates = true)
    {
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!verifyCertificates)
        {
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return new RetryingHttpHandler(policy, new AttemptTimeoutHandler(attemptTimeout ?? AttemptTimeout, sockets)) { OnRetry = onRetry };
    }

    /// <summary>A client over <see cref="CreateHandler"/> with the user agent set, retries reported on <paramref name="reporter"/>.</summary>
    public static HttpClient CreateClient(RetryPolicy policy, Reporter? reporter, Uri? baseAddress = null, bool verifyCertificates = true)
    {
        // Attempts are bounded one by one in the handler; an overall timeout would cut retries and their waits short.
        var client = new HttpClient(CreateHandler(policy, ReportTo(reporter), verifyCertificates: verifyCertificates)) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
