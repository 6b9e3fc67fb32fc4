using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Net.Sockets;

namespace QemuUserStatic.Net;

/// <summary>
/// Retries requests on transient faults: 5xx, 429, GitHub-style 403 rate limits (Retry-After or
/// x-ratelimit-remaining 0 with x-ratelimit-reset), dropped connections and timeouts. Requests whose content
/// cannot be sent twice (a non-seekable stream) are not retried. Each retry is reported through <see cref="OnRetry"/>.
/// </summary>
internal sealed class RetryingHttpHandler(RetryPolicy policy, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Called before each retry with the reason and the wait (for logs; never contains headers).</summary>
    public Action<string, TimeSpan>? OnRetry { get; init; }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lastAttempt = attempt >= policy.MaxAttempts || !CanResend(request);
            HttpResponseMessage response;
            try
            {
                await RewindContentAsync(request, attempt).ConfigureAwait(false);
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!lastAttempt && IsTransient(ex, cancellationToken))
            {
                var wait = policy.BackoffBefore(attempt + 1);
                OnRetry?.Invoke($"{request.Method} {Describe(request.RequestUri)}: {ex.GetBaseException().Message}", wait);
                await policy.Delay(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (lastAttempt || TransientWait(response, attempt) is not { } delay)
            {
                return response;
            }

            OnRetry?.Invoke($"{request.Method} {Describe(request.RequestUri)}: HTTP {(int)response.StatusCode}", delay);
            response.Dispose();
            await policy.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The wait before retrying <paramref name="response"/>, or null when it is final (success, or a client error,
    /// or a server wait longer than the policy allows).
    /// </summary>
    public TimeSpan? TransientWait(HttpResponseMessage response, int attempt)
    {
        var status = (int)response.StatusCode;
        var rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests ||
            (response.StatusCode == HttpStatusCode.Forbidden &&
             (response.Headers.RetryAfter is not null || Header(response, "x-ratelimit-remaining") == "0"));
        if (status < 500 && !rateLimited)
        {
            return null;
        }

        var serverWait = ServerWait(response);
        if (serverWait is { } wait)
        {
            return wait <= policy.MaxServerDelay ? wait : null;
        }

        // A rate limit without a stated wait: GitHub documents waiting at least a minute.
        return rateLimited ? TimeSpan.FromSeconds(Math.Min(60, policy.MaxServerDelay.TotalSeconds)) : policy.BackoffBefore(attempt + 1);
    }

    private static TimeSpan? ServerWait(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is RetryConditionHeaderValue retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return Max(date - DateTimeOffset.UtcNow);
            }
        }

        if (Header(response, "x-ratelimit-remaining") == "0" &&
            long.TryParse(Header(response, "x-ratelimit-reset"), out var reset))
        {
            return Max(DateTimeOffset.FromUnixTimeSeconds(reset) - DateTimeOffset.UtcNow);
        }

        return null;
    }

    private static TimeSpan Max(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        _ when IsTlsFailure(ex) => false,
        HttpRequestException => true,
        IOException or SocketException => true,
        TaskCanceledException when !cancellationToken.IsCancellationRequested => true, // HttpClient timeout
        _ => false,
    };

    /// <summary>
    /// True when <paramref name="ex"/> comes from a failed TLS handshake (a bad certificate, or a server speaking plain
    /// HTTP): it fails the same way next time, so it is not retried.
    /// </summary>
    public static bool IsTlsFailure(Exception ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanResend(HttpRequestMessage request) =>
        request.Content is null or ByteArrayContent or StringContent or ReadOnlyMemoryContent ||
        request.Content is ResendableStreamContent;

    private static async Task RewindContentAsync(HttpRequestMessage request, int attempt)
    {
        if (attempt > 1 && request.Content is ResendableStreamContent resendable)
        {
            await resendable.RewindAsync().ConfigureAwait(false);
        }
    }

    // Only scheme, host and path: query strings may carry signatures or tokens.
    private static string Describe(Uri? uri) => uri is null ? "(no uri)" : uri.GetLeftPart(UriPartial.Path);
}
