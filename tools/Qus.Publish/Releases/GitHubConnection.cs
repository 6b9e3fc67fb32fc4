using Octokit;
using Octokit.Internal;
using QemuUserStatic.Net;

namespace QemuUserStatic.Releases;

/// <summary>
/// How to reach GitHub's REST API: where, with which token, and how hard to retry. The token is held here and
/// given only to Octokit's credential store; nothing in this type prints it.
/// </summary>
internal sealed record GitHubConnection
{
    /// <summary>github.com's API root.</summary>
    public static readonly Uri PublicApi = new("https://api.github.com/");

    /// <summary>The API root: https://api.github.com/ or https://HOST/api/v3/ for GitHub Enterprise Server.</summary>
    public Uri ApiUrl { get; init; } = PublicApi;

    /// <summary>The token, or null to call anonymously (read-only use on public repositories).</summary>
    public string? Token { get; init; }

    /// <summary>Retries of each request (5xx, rate limits, dropped connections).</summary>
    public RetryPolicy RetryPolicy { get; init; } = RetryPolicy.Default;

    /// <summary>The longest one attempt of a request may take (an upload included).</summary>
    public TimeSpan AttemptTimeout { get; init; } = QusHttp.AttemptTimeout;

    /// <summary>Told about each retry (reason without headers or query, wait).</summary>
    public Action<string, TimeSpan>? OnRetry { get; init; }

    /// <summary>
    /// An Octokit client whose HTTP stack is ours: per-attempt timeout under the retrying handler, no automatic
    /// redirects (Octokit follows them itself and drops the token when the host changes), uploads streamed.
    /// </summary>
    public GitHubClient CreateClient()
    {
        var apiUrl = ApiUrl.AbsoluteUri.EndsWith('/') ? ApiUrl : new Uri(ApiUrl.AbsoluteUri + "/");
        var adapter = new StreamingHttpClientAdapter(QusHttp.CreateHandler(RetryPolicy, OnRetry, followRedirects: false, AttemptTimeout));
        var credentials = Token is { Length: > 0 } token ? new Credentials(token) : Credentials.Anonymous;
        var connection = new Connection(
            new ProductHeaderValue("qemu-user-static-cs", QusHttp.Version), apiUrl, new InMemoryCredentialStore(credentials), adapter, new SimpleJsonSerializer());
        var client = new GitHubClient(connection);

        // Attempts are bounded one by one below; an overall client timeout would cut retries and their waits short.
        client.SetRequestTimeout(Timeout.InfiniteTimeSpan);
        return client;
    }

    /// <inheritdoc />
    public override string ToString() => $"GitHubConnection {{ ApiUrl = {ApiUrl}, Token = {(Token is null ? "none" : "***")} }}";
}
