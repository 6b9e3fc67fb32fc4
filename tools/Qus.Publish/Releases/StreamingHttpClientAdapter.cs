using Octokit;
using Octokit.Internal;
using QemuUserStatic.Net;

namespace QemuUserStatic.Releases;

/// <summary>
/// Octokit's <see cref="HttpClientAdapter"/> copies every request body into memory before sending it (to replay it
/// on a redirect): for an upload that is the whole file, once per parallel upload. This adapter sends uploads
/// (bodies that are <see cref="ResendableStreamContent"/>) straight from the file through the same handler, and
/// leaves every other request to Octokit as it is.
/// </summary>
internal sealed class StreamingHttpClientAdapter : HttpClientAdapter, IHttpClient
{
    private readonly HttpClient uploads;

    /// <summary>Sends everything through <paramref name="handler"/> (the retrying stack).</summary>
    public StreamingHttpClientAdapter(HttpMessageHandler handler)
        : base(() => handler)
    {
        // The base client owns and disposes the handler; attempts are bounded inside it, not here.
        uploads = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    async Task<IResponse> IHttpClient.Send(IRequest request, CancellationToken cancellationToken, Func<object, object> preprocessResponseBody)
    {
        if (request.Body is not ResendableStreamContent)
        {
            return await Send(request, cancellationToken, preprocessResponseBody).ConfigureAwait(false);
        }

        using var message = BuildRequestMessage(request);
        var response = await uploads.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await BuildResponse(response, preprocessResponseBody).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            uploads.Dispose();
        }

        base.Dispose(disposing);
    }
}
