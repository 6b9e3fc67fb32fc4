using QemuUserStatic.Net;

namespace QemuUserStatic.Releases;

/// <summary>What qus-publish publishes and where: a GitHub release, or with <see cref="ToFolder"/> a release folder.</summary>
internal sealed record PublishOptions
{
    /// <summary>The files, the tag and how to publish them.</summary>
    public required PublishRequest Request { get; init; }

    /// <summary>Publish into this folder (the release is <c>FOLDER/TAG/</c>) instead of GitHub.</summary>
    public string? ToFolder { get; init; }

    /// <summary>The GitHub REST API root.</summary>
    public Uri ApiUrl { get; init; } = GitHubConnection.PublicApi;

    /// <summary>The environment variable that holds the token (the token itself is read only when it is used).</summary>
    public string TokenVariable { get; init; } = "GITHUB_TOKEN";

    /// <summary>Retries of each GitHub request.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
