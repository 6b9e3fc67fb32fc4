using System.Security.Cryptography;

namespace QemuUserStatic.Common;

/// <summary>SHA-256 digests as lower-case hex, the form manifests, SHA256SUMS and OCI digests use.</summary>
public static class Sha256Hex
{
    /// <summary>The digest of a byte span.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The digest of a stream, read to its end.</summary>
    public static string Of(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    /// <summary>The digest of a stream, read to its end asynchronously.</summary>
    public static async Task<string> OfAsync(Stream stream, CancellationToken cancellationToken = default) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));

    /// <summary>The digest of a file.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Of(stream);
    }

    /// <summary>The digest of a file, asynchronously.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await OfAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
