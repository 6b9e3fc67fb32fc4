using QemuUserStatic.Net;

namespace QemuUserStatic.Push;

/// <summary>How a layout is pushed.</summary>
public sealed record PushOptions
{
    /// <summary>False for a plain-HTTP or self-signed registry (<c>--dest-tls-verify=false</c>): any certificate, plain HTTP when TLS fails.</summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary>How many blob uploads and manifest writes are in flight at the same time.</summary>
    public int Jobs { get; init; } = 4;

    /// <summary>How often and how long to retry a request that failed on a transient fault.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
