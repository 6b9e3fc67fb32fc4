namespace QemuUserStatic.Packages.Rpm;

/// <summary>The main-header tags this reader uses (numbers from rpm's tags documentation).</summary>
internal static class RpmTag
{
    /// <summary>Package name (string).</summary>
    public const int Name = 1000;

    /// <summary>Package version (string).</summary>
    public const int Version = 1001;

    /// <summary>Package release (string).</summary>
    public const int Release = 1002;

    /// <summary>Package epoch (int32, optional).</summary>
    public const int Epoch = 1003;

    /// <summary>Build time, seconds since the epoch (int32).</summary>
    public const int BuildTime = 1006;

    /// <summary>Per-file sizes (int32 array) when every file is under 4 GB.</summary>
    public const int FileSizes = 1028;

    /// <summary>Per-file modes (int16 array).</summary>
    public const int FileModes = 1030;

    /// <summary>Per-file digests (string array, hex; empty for non-regular files).</summary>
    public const int FileDigests = 1035;

    /// <summary>Per-file flags (int32 array; 64 = %ghost, not in the payload).</summary>
    public const int FileFlags = 1037;

    /// <summary>Package architecture (string).</summary>
    public const int Arch = 1022;

    /// <summary>Index into <see cref="DirNames"/> per file (int32 array).</summary>
    public const int DirIndexes = 1116;

    /// <summary>File name per file (string array).</summary>
    public const int BaseNames = 1117;

    /// <summary>Directory names, each ending in '/' (string array).</summary>
    public const int DirNames = 1118;

    /// <summary>Payload format (string; cpio).</summary>
    public const int PayloadFormat = 1124;

    /// <summary>Payload compressor (string; gzip when absent).</summary>
    public const int PayloadCompressor = 1125;

    /// <summary>Payload compressor flags (string, e.g. 19).</summary>
    public const int PayloadFlags = 1126;

    /// <summary>Per-file sizes (int64 array) when a file is 4 GB or larger.</summary>
    public const int LongFileSizes = 5008;

    /// <summary>Algorithm of <see cref="FileDigests"/> (int32, OpenPGP hash id; MD5 when absent).</summary>
    public const int FileDigestAlgo = 5011;

    /// <summary>Digest of the compressed payload (string array, hex; rpm 4.14+).</summary>
    public const int PayloadDigest = 5092;

    /// <summary>Algorithm of the payload digests (int32, OpenPGP hash id).</summary>
    public const int PayloadDigestAlgo = 5093;

    /// <summary>Digest of the uncompressed payload (string array, hex; rpm 4.16+).</summary>
    public const int PayloadDigestAlt = 5097;
}
