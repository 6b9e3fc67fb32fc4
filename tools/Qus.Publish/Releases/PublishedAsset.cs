namespace QemuUserStatic.Releases;

/// <summary>
/// A release asset as GitHub's REST API describes it. Read through Octokit's connection into this type rather than
/// Octokit's <c>ReleaseAsset</c>, which (v14) has no <c>digest</c> and 32-bit ids and sizes.
/// </summary>
internal sealed record PublishedAsset
{
    /// <summary>The state of an asset whose upload completed.</summary>
    public const string Uploaded = "uploaded";

    /// <summary>Asset id.</summary>
    public long Id { get; init; }

    /// <summary>File name on the release.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>uploaded</c>, or <c>starter</c> for an upload that failed half-way (GitHub leaves it behind).</summary>
    public string State { get; init; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Media type the asset is served with.</summary>
    public string? ContentType { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> where GitHub computed it (assets uploaded since mid-2025); null on older assets and servers.</summary>
    public string? Digest { get; init; }

    /// <summary>The public download address.</summary>
    public string? BrowserDownloadUrl { get; init; }

    /// <summary>True when the upload completed.</summary>
    public bool IsUploaded => State == Uploaded;

    /// <summary>The SHA-256 from <see cref="Digest"/>, lower-case hex, or null.</summary>
    public string? DigestSha256 =>
        Digest is { } digest && digest.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? digest[7..].ToLowerInvariant() : null;
}
