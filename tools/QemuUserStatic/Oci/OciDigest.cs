using System.Text.RegularExpressions;
using QemuUserStatic.Common;

namespace QemuUserStatic.Oci;

/// <summary>Content digests as OCI writes them: <c>sha256:</c> and 64 lower-case hex digits.</summary>
public static partial class OciDigest
{
    /// <summary>The algorithm prefix every digest this code writes carries.</summary>
    public const string Sha256Prefix = "sha256:";

    /// <summary>The digest of <paramref name="content"/>.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Sha256Prefix + Sha256Hex.Of(content);

    /// <summary>A digest from a lower-case hex SHA-256.</summary>
    public static string FromHex(string hex) => Sha256Prefix + hex;

    /// <summary>True for a well-formed sha256 digest.</summary>
    public static bool IsValid(string? digest) => digest is not null && Sha256Pattern().IsMatch(digest);

    /// <summary>The hex part of a sha256 digest; a <see cref="FormatException"/> for anything else.</summary>
    public static string Hex(string digest) =>
        IsValid(digest) ? digest[Sha256Prefix.Length..] : throw new FormatException($"not a sha256 digest: '{digest}'");

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
