namespace QemuUserStatic.Net;

/// <summary>
/// How often and how long to retry a transient fault: exponential back-off with jitter, capped, and a
/// server-given wait (Retry-After, rate-limit reset) honoured up to <see cref="MaxServerDelay"/>.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>The default: 5 attempts, 1 s doubling to 30 s, server waits up to 2 minutes.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the second attempt; doubled each time.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off wait.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait a server may ask for; asking for more gives up at once.</summary>
    public TimeSpan MaxServerDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How waiting is done; tests replace it to run without sleeping.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The back-off before attempt <paramref name="attempt"/> (2 for the first retry), with ±20 % jitter.</summary>
    public TimeSpan BackoffBefore(int attempt)
    {
        var exponent = Math.Clamp(attempt - 2, 0, 20);
        var millis = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(millis * jitter);
    }
}
