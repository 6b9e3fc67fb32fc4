using System.Security.Cryptography;

namespace QemuUserStatic.Packages.Rpm;

/// <summary>RPM names digest algorithms by their OpenPGP hash ids (RFC 4880 9.4); this maps them to .NET's.</summary>
internal static class RpmDigestAlgorithm
{
    /// <summary>OpenPGP id of MD5, the file digest algorithm when a header names none.</summary>
    public const int Md5 = 1;

    /// <summary>OpenPGP id of SHA-256, rpm's default since 4.14.</summary>
    public const int Sha256 = 8;

    /// <summary>The .NET algorithm for an OpenPGP hash id, or an error naming the id.</summary>
    public static HashAlgorithmName FromPgpId(long id) => id switch
    {
        1 => HashAlgorithmName.MD5,
        2 => HashAlgorithmName.SHA1,
        8 => HashAlgorithmName.SHA256,
        9 => HashAlgorithmName.SHA384,
        10 => HashAlgorithmName.SHA512,
        12 => HashAlgorithmName.SHA3_256,
        14 => HashAlgorithmName.SHA3_512,
        _ => throw new InvalidDataException($"unsupported digest algorithm {id}"),
    };
}
