using QemuUserStatic.Cli;
using QemuUserStatic.Net;

namespace QemuUserStatic.Releases;

/// <summary>
/// Step 2 of the pipeline (qus-publish): tarballs folders → one release, on GitHub (<see cref="GitHubReleasePublisher"/>)
/// or in a folder (<see cref="FolderReleasePublisher"/>).
/// </summary>
internal static class PublishStep
{
    /// <summary>Plans and, unless it is a dry run, publishes; prints the release's address (or a dry run's plan) on the result lines.</summary>
    public static async Task<PublishResult> RunAsync(PublishOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var request = options.Request;
        if (options.ToFolder is { } folder)
        {
            return await new FolderReleasePublisher(folder, reporter, reporter.Results).PublishAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var repository = request.Repository
            ?? throw new UserException("--repository is required (or $GITHUB_REPOSITORY, github.repository in qus.yml, or --to-folder to publish to a folder)", ExitCodes.Usage);
        var token = Environment.GetEnvironmentVariable(options.TokenVariable);
        if (string.IsNullOrEmpty(token) && !request.DryRun)
        {
            throw new UserException($"{options.TokenVariable} is not set: it must hold a token that may write releases (or name another variable with --token-env)", ExitCodes.Usage);
        }

        var connection = new GitHubConnection
        {
            ApiUrl = options.ApiUrl,
            Token = token,
            RetryPolicy = options.Retry,
            OnRetry = QusHttp.ReportTo(reporter),
        };
        var publisher = new GitHubReleasePublisher(new GitHubReleases(connection, repository), reporter, reporter.Results);
        return await publisher.PublishAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
