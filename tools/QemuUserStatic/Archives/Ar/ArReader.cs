using System.Globalization;
using System.Text;
using QemuUserStatic.Common;

namespace QemuUserStatic.Archives.Ar;

/// <summary>
/// Reads a Unix ar archive ("!&lt;arch&gt;\n", 60-byte member headers, data padded to even offsets) from a
/// forward-only stream, one member at a time. This is the container of Debian packages.
/// </summary>
internal sealed class ArReader
{
    private const int HeaderSize = 60;
    private readonly Stream stream;
    private LengthLimitedStream? current;
    private long offset;

    /// <summary>Checks the global header; a stream that is not an ar archive is an <see cref="InvalidDataException"/>.</summary>
    public ArReader(Stream stream)
    {
        this.stream = stream;
        Span<byte> magic = stackalloc byte[8];
        var got = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (!IsArchive(magic[..got]))
        {
            throw new InvalidDataException("not an ar archive (no !<arch> magic)");
        }

        offset = magic.Length;
    }

    /// <summary>The global header every ar archive starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "!<arch>\n"u8;

    /// <summary>True when <paramref name="start"/> begins with the ar magic.</summary>
    public static bool IsArchive(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>The next member, or null at the end; the previous member's unread data is skipped.</summary>
    public ArMember? GetNextMember()
    {
        if (current is not null)
        {
            current.SkipRest();
            offset += current.Length;
            current = null;
            if (offset % 2 == 1)
            {
                // Members are padded to an even offset; the last one's padding may be missing.
                offset += stream.ReadAtLeast(new byte[1], 1, throwOnEndOfStream: false);
            }
        }

        var header = new byte[HeaderSize];
        var got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got == 0)
        {
            return null;
        }

        if (got < HeaderSize)
        {
            throw new EndOfStreamException();
        }

        if (header[58] != '`' || header[59] != '\n')
        {
            throw new InvalidDataException($"bad ar member header at offset {offset}");
        }

        offset += HeaderSize;
        var name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ');
        name = name.EndsWith('/') && name.Length > 1 ? name[..^1] : name;
        var mtime = Number(header.AsSpan(16, 12), "mtime");
        var size = Number(header.AsSpan(48, 10), "size");
        current = new LengthLimitedStream(stream, size);
        return new ArMember(name, mtime, offset, size) { DataStream = current };
    }

    private long Number(ReadOnlySpan<byte> field, string what)
    {
        var text = Encoding.ASCII.GetString(field).Trim();
        if (text.Length == 0)
        {
            return 0;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"bad ar member {what} '{text}' at offset {offset - HeaderSize}");
        }

        return value;
    }
}
