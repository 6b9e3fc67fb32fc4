namespace QemuUserStatic.Packages;

/// <summary>
/// Every size, count, length, dictionary and window an input may declare, in one place (the README lists them).
/// Inputs are hostile: each reader checks what a package declares against these before it allocates or reads
/// anything for it. Each limit is sized from real qemu packages with a wide margin: Debian's qemu-user (68 MiB
/// data.tar.xz of 19 xz -6 blocks, 454 MiB unpacked, emulators of at most 30 MiB, md5sums of a few KiB), Fedora's
/// qemu-user-static-* RPMs (zstd level 19: 8 MiB windows, headers of tens of KiB), and this repository's qus.yml.
/// </summary>
internal static class PackageLimits
{
    /// <summary>Longest path or link target inside a package, in bytes (Linux's PATH_MAX).</summary>
    public const int MaxPathLength = 4096;

    /// <summary>Largest single file inside a package (the largest emulator is about 30 MiB).</summary>
    public const long MaxFileSize = 256L * 1024 * 1024;

    /// <summary>Largest PAX extended header of a tar entry (real ones carry a path and a few times: bytes).</summary>
    public const int MaxPaxHeaderSize = 64 * 1024;

    /// <summary>Largest member of a .deb's control.tar that is read (control, md5sums: a few KiB in qemu-user).</summary>
    public const int MaxControlMemberSize = 1024 * 1024;

    /// <summary>Most entries in a .deb's control.tar (control, md5sums and maintainer scripts: under 10).</summary>
    public const int MaxControlEntries = 64;

    /// <summary>Largest data section of an RPM header (rpm itself allows 256 MiB; qemu's are tens of KiB).</summary>
    public const int MaxRpmHeaderData = 16 * 1024 * 1024;

    /// <summary>Most values of one RPM header tag that are read (one per file: qemu's packages list under 200).</summary>
    public const int MaxRpmTagValues = 65536;

    /// <summary>Most memory the xz decoder may use (xz -9, the largest preset, needs 65 MiB; Debian's -6 needs 9 MiB).</summary>
    public const ulong MaxXzDecoderMemory = 128UL * 1024 * 1024;

    /// <summary>Largest zstd window as a power of two: 2^25 = 32 MiB (Fedora's level 19 uses 8 MiB windows).</summary>
    public const int MaxZstdWindowLog = 25;

    /// <summary>Largest qus.yml (the repository's is about 1 KiB).</summary>
    public const int MaxConfigFileSize = 1024 * 1024;

    /// <summary>Deepest nesting of mappings and lists in qus.yml (its schema needs 3).</summary>
    public const int MaxConfigDepth = 16;

    /// <summary>
    /// Latest timestamp accepted from a package (build time, member mtime) or SOURCE_DATE_EPOCH, in seconds since
    /// the epoch: the largest a ustar header holds (8^11 - 1, in 2242), as every release tarball records it.
    /// </summary>
    public const long MaxTimestamp = 8589934591;

    /// <summary>
    /// <paramref name="seconds"/> when it is a timestamp between the epoch and <see cref="MaxTimestamp"/>; otherwise an
    /// <see cref="InvalidDataException"/> saying which <paramref name="what"/> it was.
    /// </summary>
    public static long Timestamp(long seconds, string what) =>
        seconds is >= 0 and <= MaxTimestamp
            ? seconds
            : throw new InvalidDataException($"{what} {seconds} is not a time between 1970 and 2242 (0 to {MaxTimestamp} seconds)");

    /// <summary>
    /// <paramref name="declared"/> when it is between 0 and <paramref name="limit"/>; otherwise an
    /// <see cref="InvalidDataException"/> naming <paramref name="what"/> and the limit, before anything is allocated for it.
    /// </summary>
    public static long Size(long declared, long limit, string what) =>
        declared >= 0 && declared <= limit
            ? declared
            : throw new InvalidDataException($"{what} declares {declared} bytes, more than the limit of {limit}");
}
