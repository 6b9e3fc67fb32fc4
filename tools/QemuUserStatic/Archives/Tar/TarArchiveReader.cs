using System.Globalization;
using System.Text;
using QemuUserStatic.Common;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Archives.Tar;

/// <summary>
/// Reads a tar archive (v7, ustar, GNU and PAX, as dpkg-deb and other package builders write them) from a
/// forward-only stream, one entry at a time, without buffering entry data. Unlike System.Formats.Tar it checks
/// every length an entry declares against <see cref="PackageLimits"/> before it reads or allocates anything for
/// it: GNU long names, PAX headers, names, link targets and data sizes. Sparse and multi-volume entries are
/// refused. Format errors are <see cref="InvalidDataException"/>, a short stream is <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class TarArchiveReader(Stream stream)
{
    private const int BlockSize = 512;
    private readonly byte[] header = new byte[BlockSize];
    private LengthLimitedStream? current;
    private long offset;
    private bool ended;

    /// <summary>
    /// The next entry, or null at the end of the archive. The previous entry's unread data is skipped; its stream
    /// is no longer usable.
    /// </summary>
    public TarArchiveEntry? GetNextEntry()
    {
        string? longName = null;
        string? longLink = null;
        Dictionary<string, string>? pax = null;
        while (!ended)
        {
            FinishCurrent();
            var start = offset;
            if (!ReadHeader())
            {
                ended = true;
                break;
            }

            var type = (char)header[156];
            var size = Number(124, 12, "size", start);
            switch (type)
            {
                case 'L':
                    longName = ReadMetadata(size, PackageLimits.MaxPathLength + 1, "GNU long name", start);
                    continue;
                case 'K':
                    longLink = ReadMetadata(size, PackageLimits.MaxPathLength + 1, "GNU long link name", start);
                    continue;
                case 'x':
                    pax = PaxRecords.Parse(ReadBlock(size, PackageLimits.MaxPaxHeaderSize, "PAX header", start), start);
                    continue;
                case 'g':
                    // Global records (a comment, an mtime) apply to later entries; none that a package reader uses.
                    PaxRecords.Parse(ReadBlock(size, PackageLimits.MaxPaxHeaderSize, "PAX global header", start), start);
                    continue;
                case 'S':
                    throw new InvalidDataException($"tar entry at offset {start} is a GNU sparse file, which packages do not use");
                case 'M' or 'V':
                    throw new InvalidDataException($"tar entry at offset {start} is part of a multi-volume archive, which packages are not");
            }

            return Entry(type, size, start, pax, longName, longLink);
        }

        return longName is null && longLink is null && pax is null
            ? null
            : throw new InvalidDataException($"the tar archive ends after an extended header, before its entry");
    }

    private TarArchiveEntry Entry(char type, long size, long start, Dictionary<string, string>? pax, string? longName, string? longLink)
    {
        var name = pax?.GetValueOrDefault("path") ?? longName ?? UstarName();
        var link = pax?.GetValueOrDefault("linkpath") ?? longLink ?? Text(157, 100);
        if (pax?.GetValueOrDefault("size") is { } paxSize)
        {
            size = long.TryParse(paxSize, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new InvalidDataException($"tar entry at offset {start} has a PAX size that is not a number of bytes below 2^63");
        }

        CheckLength(name, "name", start);
        CheckLength(link, "link target", start);
        var kind = type switch
        {
            '0' or '\0' or '7' => ArchiveEntryType.RegularFile,
            '1' => ArchiveEntryType.HardLink,
            '2' => ArchiveEntryType.SymbolicLink,
            '5' => ArchiveEntryType.Directory,
            _ => ArchiveEntryType.Other,
        };
        PackageLimits.Size(size, PackageLimits.MaxFileSize, $"tar entry at offset {start}");
        var mode = (UnixFileMode)(Number(100, 8, "mode", start) & 0xFFF);
        current = new LengthLimitedStream(stream, size);
        return new TarArchiveEntry(name, kind, mode, size, kind is ArchiveEntryType.SymbolicLink or ArchiveEntryType.HardLink ? link : "")
        {
            DataStream = current,
        };
    }

    /// <summary>Reads the next header block; false at the end (a zero block or the end of the stream).</summary>
    private bool ReadHeader()
    {
        var got = stream.ReadAtLeast(header, BlockSize, throwOnEndOfStream: false);
        offset += got;
        if (got == 0 || (got == BlockSize && !header.AsSpan().ContainsAnyExcept((byte)0)))
        {
            // The end: two zero blocks, though tar(1) too accepts one, or none.
            return false;
        }

        if (got < BlockSize)
        {
            throw new EndOfStreamException();
        }

        var stored = Number(148, 8, "checksum", offset - BlockSize);
        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return stored == unsigned || stored == signed
            ? true
            : throw new InvalidDataException($"tar header at offset {offset - BlockSize} has a bad checksum (not a tar archive, or corrupt)");
    }

    /// <summary>The data of a GNU long name or link entry: a NUL-terminated name.</summary>
    private string ReadMetadata(long size, int limit, string what, long start)
    {
        var data = ReadBlock(size, limit, what, start);
        var end = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? data : data[..end]);
    }

    /// <summary>The data of a metadata entry of at most <paramref name="limit"/> bytes, checked before it is allocated.</summary>
    private ReadOnlySpan<byte> ReadBlock(long size, int limit, string what, long start)
    {
        PackageLimits.Size(size, limit, $"the {what} at offset {start}");
        var data = new byte[size];
        current = new LengthLimitedStream(stream, size);
        current.ReadExactly(data);
        return data;
    }

    private void FinishCurrent()
    {
        if (current is not null)
        {
            offset = MemberEnd.Skip(stream, current, offset, BlockSize);
            current = null;
        }
    }

    /// <summary>The name of a ustar header: prefix and name (the prefix field is GNU's atime in GNU headers).</summary>
    private string UstarName()
    {
        var name = Text(0, 100);
        var isUstar = header.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        var prefix = isUstar ? Text(345, 155) : "";
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private string Text(int at, int length)
    {
        var field = header.AsSpan(at, length);
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>A numeric field: octal digits (space or NUL padded), or GNU's base-256 with the high bit set.</summary>
    private long Number(int at, int length, string what, long start)
    {
        var field = header.AsSpan(at, length);
        long value = 0;
        if ((field[0] & 0x80) != 0)
        {
            // Base-256, big-endian; a negative value (0xff) or one past 63 bits is nothing a package has.
            var bytes = field[1..];
            var significant = bytes.Length > 8 ? bytes[^8..] : bytes;
            if (field[0] != 0x80 || bytes[..^significant.Length].ContainsAnyExcept((byte)0) || (significant.Length == 8 && (significant[0] & 0x80) != 0))
            {
                throw new InvalidDataException($"tar header at offset {start} has a {what} out of range");
            }

            foreach (var b in significant)
            {
                value = (value << 8) | b;
            }

            return value;
        }

        var digits = field.Trim((byte)' ').TrimEnd((byte)0).Trim((byte)' ');
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                throw new InvalidDataException($"tar header at offset {start} has a {what} field that is not an octal number");
            }

            value = (value << 3) | (uint)(c - '0');
        }

        return value;
    }

    private static void CheckLength(string text, string what, long start)
    {
        if (Encoding.UTF8.GetByteCount(text) > PackageLimits.MaxPathLength)
        {
            throw new InvalidDataException($"tar entry at offset {start} has a {what} longer than {PackageLimits.MaxPathLength} bytes");
        }
    }
}
