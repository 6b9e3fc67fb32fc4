using QemuUserStatic.Net;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>What qus-push pushes, where, and how.</summary>
internal sealed record PushOptions
{
    /// <summary>The OCI image layout folder qus-images wrote.</summary>
    public required string Layout { get; init; }

    /// <summary>The registry repository or layout pushed to.</summary>
    public required PushDestination Destination { get; init; }

    /// <summary>Only these tags; every tag of the layout when null.</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }

    /// <summary>The registry credentials, when given (a layout needs none; <see cref="RegistryCredentials.ToString"/> hides the password).</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>False for a plain-HTTP or self-signed registry (<c>--dest-tls-verify=false</c>): any certificate, plain HTTP when TLS fails.</summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary>How many blob uploads and manifest writes are in flight at the same time.</summary>
    public int Jobs { get; init; } = 4;

    /// <summary>How often and how long to retry a request that failed on a transient fault.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
