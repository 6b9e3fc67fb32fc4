using System.Security.Cryptography;

namespace QemuUserStatic.Packages;

/// <summary>A digest a package states for one of its files, and where it states it (FILEDIGESTS, md5sums).</summary>
public sealed record ExpectedDigest(HashAlgorithmName Algorithm, string Hex, string Source);
