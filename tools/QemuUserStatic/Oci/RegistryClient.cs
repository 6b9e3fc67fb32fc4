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
/// The OCI distribution API (<c>/v2/…/manifests/…</c>, <c>/v2/…/blobs/…</c>), pull here and push in
/// <c>RegistryClient.Push.cs</c>, with the authentication registries ask for: Docker's token flow (a 401 with
/// <c>WWW-Authenticate: Bearer realm,service,scope</c> answered by a token from the realm, anonymous or with Basic
/// credentials; pushes ask for the <c>pull,push</c> scope) or plain HTTP Basic. Transient faults (5xx, 429, dropped
/// connections) are retried by <see cref="QusHttp"/>; every manifest and blob is checked against its digest.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    /// <summary>The largest manifest, index or token answer read (distribution's own manifest limit is 4 MiB).</summary>
    public const int MaxDocumentBytes = 4 << 20;

    private const string PullAccess = "pull";

    private readonly HttpClient http;
    private readonly string registry;
    private readonly RegistryCredentials? credentials;
    private readonly string credentialsHint;
    private readonly bool tlsVerify;
    private readonly Dictionary<string, AuthenticationHeaderValue> authorization = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim authorizing = new(1, 1);
    private volatile Uri apiBase;

    /// <summary>A client for <paramref name="registry"/> (as written in references: docker.io, 127.0.0.1:5000).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="credentials">Credentials to send when the registry asks, or null for anonymous access.</param>
    /// <param name="credentialsHint">Where credentials come from, for error messages (environment variable names).</param>
    /// <param name="reporter">Where retries are reported, or null.</param>
    /// <param name="policy">Retry policy; <see cref="RetryPolicy.Default"/> when null.</param>
    /// <param name="tlsVerify">False for an insecure registry: any certificate accepted, plain HTTP when it does not speak TLS.</param>
    public RegistryClient(
        string registry, RegistryCredentials? credentials, string credentialsHint, Reporter? reporter = null, RetryPolicy? policy = null,
        bool tlsVerify = true)
    {
        this.registry = registry;
        this.credentials = credentials;
        this.credentialsHint = credentialsHint;
        this.tlsVerify = tlsVerify;
        apiBase = ImageReference.RegistryApiBase(registry);
        // Blob downloads may redirect to a CDN; the handler drops the Authorization header on redirects, as it must.
        http = QusHttp.CreateClient(policy ?? RetryPolicy.Default, reporter, verifyCertificates: tlsVerify);
    }

    /// <summary>Fetches the manifest or index <paramref name="reference"/> (a tag or digest) of <paramref name="repository"/>.</summary>
    public async Task<RegistryManifest> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var what = $"{registry}/{repository}:{reference}";
        using var response = await SendAsync(repository, PullAccess, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Api($"v2/{repository}/manifests/{reference}"));
            foreach (var type in MediaTypes.Manifests)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        EnsureFound(response, what, "manifest");
        var content = await ReadDocumentAsync(response, what, cancellationToken).ConfigureAwait(false);
        var digest = OciDigest.Of(content);
        if (OciDigest.IsValid(reference) && digest != reference)
        {
            throw new UserException($"{registry}/{repository}@{reference}: the registry sent a manifest with digest {digest}");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!MediaTypes.Manifests.Contains(mediaType))
        {
            throw new UserException($"{what}: unsupported manifest type '{mediaType}'");
        }

        return new RegistryManifest(content, mediaType!, digest);
    }

    /// <summary>Downloads blob <paramref name="blob"/> of <paramref name="repository"/> into <paramref name="layout"/>, checking digest and size.</summary>
    public async Task DownloadBlobAsync(string repository, Descriptor blob, OciLayout layout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            repository, PullAccess, () => new HttpRequestMessage(HttpMethod.Get, Api($"v2/{repository}/blobs/{blob.Digest}")), cancellationToken)
            .ConfigureAwait(false);
        EnsureFound(response, $"{registry}/{repository}@{blob.Digest}", "blob");
        using var writer = layout.NewBlob();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            // One byte past the descriptor's size is enough to know the blob is wrong.
            await CopyAtMostAsync(body, writer.Stream, blob.Size + 1, cancellationToken).ConfigureAwait(false);
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

    private Uri Api(string path) => new(apiBase, path);

    /// <summary>
    /// Sends a request made by <paramref name="create"/> (again after a 401, with the authorization the challenge asked
    /// for); <paramref name="access"/> is the scope's action list (<c>pull</c>, or <c>pull,push</c>).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        string repository, string access, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var key = $"{repository}:{access}";
        var response = await SendWithAuthorizationAsync(key, create, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.From(response.Headers);
        var challenged = response.RequestMessage?.RequestUri ?? apiBase;
        response.Dispose();
        if (challenge is null)
        {
            throw new UserException($"{registry}: HTTP 401 without a Basic or Bearer challenge");
        }

        await authorizing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (challenge.IsBearer)
            {
                // A pull takes the scope the registry names; a push asks for pull and push on the repository at once.
                var scope = access == PullAccess ? challenge["scope"] ?? $"repository:{repository}:pull" : $"repository:{repository}:{access}";
                authorization[key] = await TokenAsync(challenge, repository, scope, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var basic = credentials ?? throw Denied(repository);
                EnsureSafeForCredentials(challenged);
                authorization[key] = new AuthenticationHeaderValue("Basic", basic.BasicToken);
            }
        }
        finally
        {
            authorizing.Release();
        }

        response = await SendWithAuthorizationAsync(key, create, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw Denied(repository);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendWithAuthorizationAsync(
        string key, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = create();
            // Only to the registry itself: an upload location or redirect elsewhere gets no credentials.
            if (authorization.TryGetValue(key, out var header) && request.RequestUri is { } uri &&
                uri.Scheme == apiBase.Scheme && uri.Authority == apiBase.Authority)
            {
                request.Headers.Authorization = header;
            }

            try
            {
                return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (UserException ex) when (RetryingHttpHandler.IsTlsFailure(ex) && FallBackToPlainHttp(request.RequestUri))
            {
                // An insecure registry that does not speak TLS: the same request again over plain HTTP.
            }
        }
    }

    // As Docker and skopeo do for an insecure registry: HTTPS first, plain HTTP when the TLS handshake fails. Requests
    // in flight at the same time may all fail over HTTPS: each is sent again, whichever switched the base.
    private bool FallBackToPlainHttp(Uri? failed)
    {
        if (tlsVerify || failed?.Scheme != Uri.UriSchemeHttps || failed.Authority != apiBase.Authority)
        {
            return false;
        }

        apiBase = new Uri($"http://{failed.Authority}/");
        return true;
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
            throw new UserException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)}: no answer in {QusHttp.AttemptTimeout.TotalMinutes:0} minutes", inner: ex);
        }
    }

    private async Task<AuthenticationHeaderValue> TokenAsync(
        AuthChallenge challenge, string repository, string scope, CancellationToken cancellationToken)
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

        query.Add("scope=" + Uri.EscapeDataString(scope));
        var builder = new UriBuilder(realm) { Query = string.Join('&', query) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials is not null)
        {
            EnsureSafeForCredentials(realm);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicToken);
        }

        var where = realm.GetLeftPart(UriPartial.Path);
        using var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Denied(repository);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new UserException($"{where}: token request failed: HTTP {(int)response.StatusCode}");
        }

        var body = await ReadDocumentAsync(response, where, cancellationToken).ConfigureAwait(false);
        var answer = OciJson.Deserialize(body, OciJson.Context.RegistryTokenResponse, where);
        var token = answer.Token ?? answer.AccessToken;
        if (string.IsNullOrEmpty(token))
        {
            throw new UserException($"{where}: the token response holds no token");
        }

        return new AuthenticationHeaderValue("Bearer", token);
    }

    // Credentials travel only over HTTPS, or to a service on this machine.
    private void EnsureSafeForCredentials(Uri target)
    {
        if (target.Scheme != Uri.UriSchemeHttps && !ImageReference.IsLoopback(target.Authority))
        {
            throw new UserException($"{registry}: refusing to send credentials over plain HTTP to {target.GetLeftPart(UriPartial.Path)}");
        }
    }

    private UserException Denied(string repository) => new(
        credentials is null
            ? $"{registry}/{repository}: access denied (HTTP 401); set {credentialsHint}"
            : $"{registry}/{repository}: access denied (HTTP 401) with the credentials from {credentialsHint}");

    // A manifest or token answer, refused before it is read when it says it is larger than any of them may be.
    private static async Task<byte[]> ReadDocumentAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new UserException($"{what}: the registry sent {response.Content.Headers.ContentLength} bytes, more than {MaxDocumentBytes} a manifest may have");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await CopyAtMostAsync(body, buffer, MaxDocumentBytes + 1L, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > MaxDocumentBytes)
        {
            throw new UserException($"{what}: the registry sent more than {MaxDocumentBytes} bytes, more than a manifest may have");
        }

        return buffer.ToArray();
    }

    private static async Task CopyAtMostAsync(Stream from, Stream to, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        for (var left = limit; left > 0;)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }
    }

    private static void EnsureFound(HttpResponseMessage response, string what, string kind)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UserException($"{what}: no such {kind} on the registry");
        }

        EnsureStatus(response, what, response.IsSuccessStatusCode);
    }

    private static void EnsureStatus(HttpResponseMessage response, string what, bool expected)
    {
        if (!expected)
        {
            throw new UserException($"{what}: the registry answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }
}
