using System.Net;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Net;

/// <summary>The HttpClient every tool uses: retries with back-off (<see cref="RetryingHttpHandler"/>), retries reported as lines.</summary>
public static class RetryingHttpClient
{
    /// <summary>A client over sockets with <paramref name="policy"/>; each retry is one line on <paramref name="reporter"/>.</summary>
    public static HttpClient Create(string userAgent, RetryPolicy policy, Reporter reporter, TimeSpan? timeout = null)
    {
        var sockets = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var retrying = new RetryingHttpHandler(policy, sockets)
        {
            OnRetry = (why, wait) => reporter.Line($"{why}; retrying in {wait.TotalSeconds:0.#} s"),
        };
        var client = new HttpClient(retrying) { Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }
}
