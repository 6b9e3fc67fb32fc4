using System.Net;
using System.Net.Http.Headers;
using QemuUserStatic.Cli;
using QemuUserStatic.Net;

namespace QemuUserStatic.Oci;

/// <summary>
/// The push side of the distribution API: blobs checked with HEAD and uploaded monolithically (POST an upload, PUT its
/// location with <c>?digest=</c>), manifests PUT with their exact bytes and media type, so digests stay the layout's.
/// Every request asks for the <c>pull,push</c> scope.
/// </summary>
public sealed partial class RegistryClient
{
    private const string PushAccess = "pull,push";

    /// <summary>True when <paramref name="repository"/> already holds blob <paramref name="blob"/>.</summary>
    public Task<bool> HasBlobAsync(string repository, Descriptor blob, CancellationToken cancellationToken) =>
        ExistsAsync(repository, $"v2/{repository}/blobs/{blob.Digest}", $"{registry}/{repository}@{blob.Digest}", cancellationToken);

    /// <summary>True when <paramref name="repository"/> already holds the manifest or index <paramref name="digest"/>.</summary>
    public Task<bool> HasManifestAsync(string repository, string digest, CancellationToken cancellationToken) =>
        ExistsAsync(repository, $"v2/{repository}/manifests/{digest}", $"{registry}/{repository}@{digest}", cancellationToken);

    /// <summary>
    /// Uploads blob <paramref name="blob"/>, read from the seekable stream <paramref name="content"/> (from its start, again
    /// on a retry), to <paramref name="repository"/>; the registry checks it against the digest.
    /// </summary>
    public async Task UploadBlobAsync(string repository, Descriptor blob, Stream content, CancellationToken cancellationToken)
    {
        var what = $"{registry}/{repository}@{blob.Digest}";
        Uri location;
        using (var started = await SendAsync(repository, PushAccess, () => new HttpRequestMessage(
            HttpMethod.Post, Api($"v2/{repository}/blobs/uploads/")) { Content = new ByteArrayContent([]) }, cancellationToken).ConfigureAwait(false))
        {
            EnsureStatus(started, what, started.StatusCode == HttpStatusCode.Accepted);
            location = UploadLocation(started, what);
        }

        using var finished = await SendAsync(repository, PushAccess, () =>
        {
            content.Position = 0;
            var body = new ResendableStreamContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, WithDigest(location, blob.Digest)) { Content = body };
        }, cancellationToken).ConfigureAwait(false);
        EnsureStatus(finished, what, finished.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>
    /// Stores <paramref name="content"/> (a manifest or index, its exact bytes) as <paramref name="reference"/> (a tag or its
    /// digest) of <paramref name="repository"/>; returns the digest the registry says it holds.
    /// </summary>
    public async Task<string> PutManifestAsync(
        string repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, PushAccess, () => new HttpRequestMessage(
            HttpMethod.Put, Api($"v2/{repository}/manifests/{reference}"))
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, cancellationToken).ConfigureAwait(false);
        EnsureStatus(response, $"{registry}/{repository}:{reference}", response.StatusCode == HttpStatusCode.Created);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var digests) && digests.FirstOrDefault() is { } digest
            ? digest
            : OciDigest.Of(content);
    }

    private async Task<bool> ExistsAsync(string repository, string path, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, PushAccess, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, Api(path));
            foreach (var type in MediaTypes.Manifests)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureStatus(response, what, response.IsSuccessStatusCode);
        return true;
    }

    // The upload's URL: relative to the registry or absolute (the spec allows both), over HTTP(S) only.
    private Uri UploadLocation(HttpResponseMessage response, string what)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            throw new UserException($"{what}: the registry started an upload without a Location");
        }

        var absolute = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage?.RequestUri ?? apiBase, location);
        return absolute.Scheme is "http" or "https"
            ? absolute
            : throw new UserException($"{what}: the upload location is not an http(s) URL");
    }

    private static Uri WithDigest(Uri location, string digest)
    {
        var query = location.Query.TrimStart('?');
        return new UriBuilder(location) { Query = (query.Length == 0 ? "" : query + "&") + "digest=" + Uri.EscapeDataString(digest) }.Uri;
    }
}
