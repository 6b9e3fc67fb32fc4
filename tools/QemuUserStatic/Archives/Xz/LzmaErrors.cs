namespace QemuUserStatic.Archives.Xz;

/// <summary>liblzma's error codes as one-line <see cref="InvalidDataException"/>s.</summary>
internal static class LzmaErrors
{
    /// <summary>
    /// The error for <paramref name="ret"/> at compressed offset <paramref name="offset"/>;
    /// <paramref name="needed"/> and <paramref name="limit"/> (bytes) explain LZMA_MEMLIMIT_ERROR. liblzma 5.4's
    /// threaded decoder reports what it uses, not what the refused block needs (xz -T2 says "1 MiB of memory is
    /// required" too): a <paramref name="needed"/> within the limit is left out.
    /// </summary>
    public static InvalidDataException Describe(LzmaRet ret, ulong offset, ulong needed, ulong limit) => new(ret switch
    {
        LzmaRet.MemlimitError when needed > limit =>
            $"xz: the stream needs {Mebibytes(needed)} MiB to decode, more than the limit {Mebibytes(limit)} MiB",
        LzmaRet.MemlimitError => $"xz: the stream needs more memory to decode than the limit {Mebibytes(limit)} MiB",
        LzmaRet.MemError => "xz: out of memory for the decoder",
        LzmaRet.FormatError => $"xz: not an xz stream near compressed byte {offset} (bad magic)",
        LzmaRet.OptionsError => $"xz: unsupported compression options at compressed byte {offset}",
        LzmaRet.DataError => $"xz: corrupt data at compressed byte {offset}",
        LzmaRet.UnsupportedCheck => "xz: unsupported integrity check type",
        LzmaRet.BufError => $"truncated xz stream (ends after {offset} bytes)",
        _ => $"xz: decoder failed with liblzma code {(int)ret} ({ret})",
    });

    private static ulong Mebibytes(ulong bytes) => (bytes + XzDecoderOptions.MiB - 1) / XzDecoderOptions.MiB;
}
