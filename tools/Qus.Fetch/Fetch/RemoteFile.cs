namespace QemuUserStatic.Fetch;

/// <summary>
/// A file to download and what its source publishes about it: the size and SHA-256 where known. The cache keys a
/// file by its published checksum, so a second run finds it without asking the network.
/// </summary>
/// <param name="Url">Where to download it.</param>
/// <param name="FileName">The file's original name (the last part of the URL).</param>
/// <param name="Size">The size the source publishes, or null.</param>
/// <param name="Sha256">The SHA-256 the source publishes (lower-case hex), or null.</param>
/// <param name="FallbackKey">
/// The cache key when no SHA-256 is published (e.g. <c>koji-payload/MD5</c>, Koji's header+payload digest); ignored when
/// <paramref name="Sha256"/> is known.
/// </param>
internal sealed record RemoteFile(Uri Url, string FileName, long? Size, string? Sha256, string? FallbackKey = null)
{
    /// <summary>The cache folder name: <c>sha256/HEX</c>, else the fallback key, else one derived from the URL.</summary>
    public string CacheKey => Sha256 is not null
        ? "sha256/" + Sha256
        : FallbackKey ?? "url/" + Common.Sha256Hex.Of(System.Text.Encoding.UTF8.GetBytes(Url.AbsoluteUri));
}
