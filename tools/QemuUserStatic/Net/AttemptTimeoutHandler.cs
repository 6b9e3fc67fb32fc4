namespace QemuUserStatic.Net;

/// <summary>
/// Bounds each single attempt of a request. Put it below <see cref="RetryingHttpHandler"/> so that a stalled
/// attempt is retried, instead of the client's overall timeout cutting off the retries and their waits.
/// A timed-out attempt surfaces as an <see cref="HttpRequestException"/>, which the retrying handler treats as transient.
/// </summary>
internal sealed class AttemptTimeoutHandler(TimeSpan timeout, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"no answer within {timeout.TotalSeconds:0.#} s", ex);
        }
    }
}
