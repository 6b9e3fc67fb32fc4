using System.Net;
using System.Net.Http.Headers;
using QemuUserStatic.Cli;
using QemuUserStatic.Net;

namespace QemuUserStatic.Oci;

/// <summary>A manifest or index as a registry served it: the exact bytes, their media type and digest.</summary>
public sealed record RegistryManifest(byte[] Content, string MediaType, string Digest)
{
    /// <summary>The descriptor of these bytes.</summary>
    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest, Size = Content.Length };
}

/// <summary>
/// The pull side of the OCI distribution API (<c>/v2/…/manifests/…</c>, <c>/v2/…/blobs/…</c>) with the
/// authentication registries ask for: Docker's token flow (a 401 with <c>WWW-Authenticate: Bearer realm,service,scope</c>
/// answered by a token from the realm, anonymous or with Basic credentials) or plain HTTP Basic. Transient faults
/// (5xx, 429, dropped connections) are retried; every manifest and blob is checked against its digest.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient http;
    private readonly string registry;
    private readonly RegistryCredentials? credentials;
    private readonly string credentialsHint;
    private readonly Dictionary<string, AuthenticationHeaderValue> authorization = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim authorizing = new(1, 1);

    /// <summary>A client for <paramref name="registry"/> (as written in references: docker.io, 127.0.0.1:5000).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="credentials">Credentials to send when the registry asks, or null for anonymous access.</param>
    /// <param name="credentialsHint">Where credentials come from, for error messages (environment variable names).</param>
    /// <param name="reporter">Where retries are reported, or null.</param>
    /// <param name="policy">Retry policy; <see cref="RetryPolicy.Default"/> when null.</param>
    public RegistryClient(
        string registry, RegistryCredentials? credentials, string credentialsHint, Reporter? reporter = null, RetryPolicy? policy = null)
    {
        this.registry = registry;
        this.credentials = credentials;
        this.credentialsHint = credentialsHint;
        // Blob downloads may redirect to a CDN; the handler drops the Authorization header on redirects, as it must.
        http = QusHttp.CreateClient(policy ?? RetryPolicy.Default, reporter, ImageReference.RegistryApiBase(registry));
    }

    /// <summary>Fetches the manifest or index <paramref name="reference"/> (a tag or digest) of <paramref name="repository"/>.</summary>
    public async Task<RegistryManifest> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
            foreach (var type in MediaTypes.Manifests)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        EnsureFound(response, $"{registry}/{repository}:{reference}", "manifest");
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var digest = OciDigest.Of(content);
        if (OciDigest.IsValid(reference) && digest != reference)
        {
            throw new UserException($"{registry}/{repository}@{reference}: the registry sent a manifest with digest {digest}");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!MediaTypes.Manifests.Contains(mediaType))
        {
            throw new UserException($"{registry}/{repository}:{reference}: unsupported manifest type '{mediaType}'");
        }

        return new RegistryManifest(content, mediaType!, digest);
    }

    /// <summary>Downloads blob <paramref name="blob"/> of <paramref name="repository"/> into <paramref name="layout"/>, checking digest and size.</summary>
    public async Task DownloadBlobAsync(string repository, Descriptor blob, OciLayout layout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            repository, () => new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}"), cancellationToken)
            .ConfigureAwait(false);
        EnsureFound(response, $"{registry}/{repository}@{blob.Digest}", "blob");
        using var writer = layout.NewBlob();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            await body.CopyToAsync(writer.Stream, cancellationToken).ConfigureAwait(false);
        }

        var written = writer.Commit(blob.MediaType);
        if (written.Digest != blob.Digest || written.Size != blob.Size)
        {
            throw new UserException($"{registry}/{repository}: blob {blob.Digest} arrived with digest {written.Digest} and {written.Size} bytes");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        http.Dispose();
        authorizing.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(
        string repository, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var response = await SendWithAuthorizationAsync(repository, create, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.From(response.Headers);
        response.Dispose();
        if (challenge is null)
        {
            throw new UserException($"{registry}: HTTP 401 without a Basic or Bearer challenge");
        }

        await authorizing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            authorization[repository] = challenge.IsBearer
                ? await TokenAsync(challenge, repository, cancellationToken).ConfigureAwait(false)
                : new AuthenticationHeaderValue("Basic", (credentials ?? throw Denied(repository)).BasicToken);
        }
        finally
        {
            authorizing.Release();
        }

        response = await SendWithAuthorizationAsync(repository, create, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw Denied(repository);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendWithAuthorizationAsync(
        string repository, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var request = create();
        if (authorization.TryGetValue(repository, out var header))
        {
            request.Headers.Authorization = header;
        }

        return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // The retrying handler has already tried again; what is left is one line for the user.
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UserException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)}: {ex.GetBaseException().Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UserException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)}: no answer in {http.Timeout.TotalMinutes:0} minutes", inner: ex);
        }
    }

    private async Task<AuthenticationHeaderValue> TokenAsync(AuthChallenge challenge, string repository, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge["realm"], UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw new UserException($"{registry}: the token realm '{challenge["realm"]}' is not an http(s) URL");
        }

        var query = new List<string>();
        if (challenge["service"] is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge["scope"] ?? $"repository:{repository}:pull"));
        var builder = new UriBuilder(realm) { Query = string.Join('&', query) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials is not null)
        {
            // Credentials travel only over HTTPS, or to a token service on this machine.
            if (realm.Scheme != "https" && !ImageReference.IsLoopback(realm.Authority))
            {
                throw new UserException($"{registry}: refusing to send credentials to the plain-HTTP token realm {realm.GetLeftPart(UriPartial.Path)}");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicToken);
        }

        using var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Denied(repository);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new UserException($"{realm.GetLeftPart(UriPartial.Path)}: token request failed: HTTP {(int)response.StatusCode}");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var answer = OciJson.Deserialize(body, OciJson.Context.RegistryTokenResponse, realm.GetLeftPart(UriPartial.Path));
        var token = answer.Token ?? answer.AccessToken;
        if (string.IsNullOrEmpty(token))
        {
            throw new UserException($"{realm.GetLeftPart(UriPartial.Path)}: the token response holds no token");
        }

        return new AuthenticationHeaderValue("Bearer", token);
    }

    private UserException Denied(string repository) => new(
        credentials is null
            ? $"{registry}/{repository}: access denied (HTTP 401); set {credentialsHint}"
            : $"{registry}/{repository}: access denied (HTTP 401) with the credentials from {credentialsHint}");

    private static void EnsureFound(HttpResponseMessage response, string what, string kind)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UserException($"{what}: no such {kind} on the registry");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new UserException($"{what}: the registry answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }
}
