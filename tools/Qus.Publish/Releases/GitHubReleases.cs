using System.Net;
using Octokit;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Net;

namespace QemuUserStatic.Releases;

/// <summary>
/// The release calls qus-publish makes, through Octokit, with GitHub's failures turned into one-line
/// <see cref="UserException"/>s that say which call failed (and never carry the token).
/// </summary>
internal sealed class GitHubReleases(GitHubConnection connection, GitHubRepository repository)
{
    private const int PageSize = 100;
    private readonly GitHubClient client = connection.CreateClient();
    private ApiConnection Api => new(client.Connection);

    /// <summary>The repository these calls act on.</summary>
    public GitHubRepository Repository => repository;

    /// <summary>
    /// The release for <paramref name="tag"/>, or null. GitHub's tag look-up finds only published releases, so
    /// drafts (which have no tag yet) are looked for in the list of releases.
    /// </summary>
    public Task<Release?> FindAsync(string tag) => Call($"look up release {tag}", async () =>
    {
        try
        {
            return await client.Repository.Release.Get(repository.Owner, repository.Name, tag).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            var all = await client.Repository.Release.GetAll(repository.Owner, repository.Name, new ApiOptions { PageSize = PageSize })
                .ConfigureAwait(false);
            return all.FirstOrDefault(r => r.TagName == tag);
        }
    });

    /// <summary>Creates the release; when one for the tag appeared meanwhile (422 already_exists), returns that one.</summary>
    public Task<Release> CreateAsync(NewRelease release) => Call($"create release {release.TagName}", async () =>
    {
        try
        {
            return await client.Repository.Release.Create(repository.Owner, repository.Name, release).ConfigureAwait(false);
        }
        catch (ApiValidationException ex) when (AlreadyExists(ex))
        {
            return await FindAsync(release.TagName).ConfigureAwait(false)
                ?? throw new UserException($"create release {release.TagName}: GitHub says it exists but it cannot be found");
        }
    });

    /// <summary>Every asset of the release, all pages.</summary>
    public Task<IReadOnlyList<PublishedAsset>> ListAssetsAsync(long releaseId) => Call("list release assets", () =>
        Api.GetAll<PublishedAsset>(ApiUrls.ReleaseAssets(repository.Owner, repository.Name, releaseId), new ApiOptions { PageSize = PageSize }));

    /// <summary>The asset's bytes, streamed (GitHub answers with the bytes or a redirect to its storage).</summary>
    public Task<Stream> OpenAsync(PublishedAsset asset) => Call($"download {asset.Name}", async () =>
    {
        var response = await client.Connection.Get<Stream>(AssetUri(asset.Id), new Dictionary<string, string>(), "application/octet-stream")
            .ConfigureAwait(false);
        return response.Body ?? throw new UserException($"download {asset.Name}: GitHub sent no bytes");
    });

    /// <summary>The SHA-256 of the asset's bytes as GitHub serves them.</summary>
    public async Task<string> HashAsync(PublishedAsset asset, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(asset).ConfigureAwait(false);
        return await Sha256Hex.OfAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an asset.</summary>
    public Task DeleteAssetAsync(PublishedAsset asset) => Call($"delete {asset.Name}", async () =>
    {
        await Api.Delete(AssetUri(asset.Id)).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Uploads a file to the release's <c>upload_url</c> (its own host). The body is resendable, so a retried
    /// attempt sends it whole again. A name already taken (422 already_exists) is <see cref="AssetExistsException"/>.
    /// </summary>
    public Task<PublishedAsset> UploadAsync(Release release, AssetFile file, CancellationToken cancellationToken) =>
        Call($"upload {file.Name}", async () =>
        {
            await using var stream = new FileStream(
                file.Path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            using var content = new ResendableStreamContent(stream);
            content.Headers.ContentType = new(file.ContentType);
            try
            {
                return await Api.Post<PublishedAsset>(
                    UploadUrl.Expand(release.UploadUrl, file.Name), content, "application/vnd.github+json", file.ContentType, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (ApiValidationException ex) when (AlreadyExists(ex))
            {
                throw new AssetExistsException(file.Name);
            }
        });

    private Uri AssetUri(long assetId) =>
        new($"repos/{Uri.EscapeDataString(repository.Owner)}/{Uri.EscapeDataString(repository.Name)}/releases/assets/{assetId}", UriKind.Relative);

    private static bool AlreadyExists(ApiValidationException ex) =>
        ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") == true;

    private async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(what, ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>A one-line error for a failed call; null for what is not GitHub's or the network's doing.</summary>
    private UserException? Describe(string what, Exception ex)
    {
        var retried = $"gave up after {connection.RetryPolicy.MaxAttempts} attempts";
        return ex switch
        {
            UserException => null,
            AuthorizationException => new UserException($"{what}: GitHub refused the token (HTTP 401); check it and its permissions", ExitCodes.Failure, ex),
            NotFoundException => new UserException($"{what}: HTTP 404 (is {repository} right, and may the token see it?)", ExitCodes.Failure, ex),
            RateLimitExceededException or SecondaryRateLimitExceededException or AbuseException =>
                new UserException($"{what}: rate limited (HTTP 403): {OneLine(ex.Message)} ({retried})", ExitCodes.Failure, ex),
            ForbiddenException => new UserException($"{what}: HTTP 403: {OneLine(ex.Message)} (does the token have contents: write?)", ExitCodes.Failure, ex),
            ApiException api when Transient(api.StatusCode) => new UserException($"{what}: HTTP {(int)api.StatusCode}: {OneLine(api.Message)} ({retried})", ExitCodes.Failure, ex),
            ApiException api => new UserException($"{what}: HTTP {(int)api.StatusCode}: {OneLine(api.Message)}", ExitCodes.Failure, ex),
            HttpRequestException or IOException => new UserException($"{what}: {OneLine(ex.GetBaseException().Message)} ({retried})", ExitCodes.Failure, ex),
            _ => null,
        };
    }

    private static bool Transient(HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    private static string OneLine(string? message) =>
        string.Join(' ', (message ?? "no message").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}

/// <summary>An upload met an asset of the same name (GitHub's 422 already_exists): a completed or a half-done one.</summary>
internal sealed class AssetExistsException(string name) : Exception($"{name}: an asset of that name is already on the release")
{
    /// <summary>The asset name.</summary>
    public string Name { get; } = name;
}
