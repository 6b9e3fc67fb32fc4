namespace QemuUserStatic.Packages.Rpm;

/// <summary>The signature-header tags this reader uses (they share numbers with other main-header tags).</summary>
public static class RpmSignatureTag
{
    /// <summary>SHA-1 of the main header (string, hex).</summary>
    public const int Sha1 = 269;

    /// <summary>Header+payload size when 4 GB or larger (int64).</summary>
    public const int LongSize = 270;

    /// <summary>Uncompressed payload size when 4 GB or larger (int64).</summary>
    public const int LongArchiveSize = 271;

    /// <summary>SHA-256 of the main header (string, hex; rpm 4.14+).</summary>
    public const int Sha256 = 273;

    /// <summary>Header+payload size (int32).</summary>
    public const int Size = 1000;

    /// <summary>MD5 of header+payload (16-byte binary).</summary>
    public const int Md5 = 1004;

    /// <summary>Uncompressed payload size (int32).</summary>
    public const int PayloadSize = 1007;
}
