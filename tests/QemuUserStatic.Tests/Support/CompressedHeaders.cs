namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Edits what a compressed stream's headers declare, keeping its data: the LZMA2 dictionary size of an .xz file's
/// first block (the block header's CRC32 recomputed), and the window of a zstd frame. The data still decodes with
/// the sizes declared, so only a decoder that checks them before allocating refuses the stream in time.
/// </summary>
public static class CompressedHeaders
{
    /// <summary>Sets the first block's LZMA2 dictionary to 2^<paramref name="log2"/> bytes (30: 1 GiB).</summary>
    public static void SetXzDictionary(byte[] xz, int log2)
    {
        const int Block = 12;
        var headerSize = (xz[Block] + 1) * 4;
        var flags = xz[Block + 1];
        Assert.That(flags & 0x03, Is.Zero, "one filter (LZMA2)");
        var at = Block + 2;
        for (var sizes = ((flags & 0x40) != 0 ? 1 : 0) + ((flags & 0x80) != 0 ? 1 : 0); sizes > 0; sizes--)
        {
            while ((xz[at++] & 0x80) != 0)
            {
            }
        }

        Assert.That((xz[at], xz[at + 1]), Is.EqualTo(((byte)0x21, (byte)1)), "the LZMA2 filter and its one-byte properties");
        // LZMA2's dictionary byte b means (2 | (b & 1)) << (b / 2 + 11): even values are powers of two from 2^12.
        xz[at + 2] = (byte)((log2 - 12) * 2);
        var crc = Crc32(xz.AsSpan(Block, headerSize - 4));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(xz.AsSpan(Block + headerSize - 4), crc);
    }

    /// <summary>Sets the window of the zstd frame at the start of <paramref name="zstd"/> to 2^<paramref name="log2"/> bytes (27: 128 MiB).</summary>
    public static void SetZstdWindow(byte[] zstd, int log2)
    {
        Assert.That(zstd[..4], Is.EqualTo(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }), "zstd magic");
        Assert.That(zstd[4] & 0x20, Is.Zero, "a frame with a window descriptor (not single-segment)");
        zstd[5] = (byte)((log2 - 10) << 3);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
