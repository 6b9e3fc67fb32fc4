using System.Security.Cryptography;

namespace QemuUserStatic.Common;

/// <summary>SHA-1 digests as lower-case hex: only for SPDX 2.3, which requires a SHA1 checksum on every file.</summary>
internal static class Sha1Hex
{
    /// <summary>The SHA-1 of a file, read sequentially.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA1.HashData(stream));
    }
}
