using QemuUserStatic.Net;

namespace QemuUserStatic.Push;

/// <summary>How a layout is pushed.</summary>
public sealed record PushOptions
{
    /// <summary>False for a plain-HTTP or self-signed registry (skopeo's <c>--dest-tls-verify=false</c>).</summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary>How many tags are copied at the same time.</summary>
    public int Jobs { get; init; } = 4;

    /// <summary>How often and how long to retry a copy that failed on a transient fault.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
