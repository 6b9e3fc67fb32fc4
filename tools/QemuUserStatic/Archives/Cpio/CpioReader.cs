using System.Globalization;
using System.Text;
using QemuUserStatic.Common;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Archives.Cpio;

/// <summary>
/// Reads a cpio archive in the SVR4 "newc" format (magic 070701, or 070702 with a checksum that is not
/// checked) from a forward-only stream, one entry at a time, without buffering entry data. RPM uses this
/// format for its payload. Format errors are <see cref="InvalidDataException"/>, a short stream is
/// <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class CpioReader(Stream stream, bool leaveOpen = false) : IDisposable
{
    /// <summary>The name of the entry that ends every cpio archive.</summary>
    public const string TrailerName = "TRAILER!!!";

    private const int HeaderSize = 110;
    private const int MaxNameSize = PackageLimits.MaxPathLength + 1;
    private readonly byte[] header = new byte[HeaderSize];
    private LengthLimitedStream? current;
    private long offset;
    private bool ended;

    /// <summary>
    /// The next entry, or null after the trailer. The previous entry's unread data is skipped; its stream is
    /// no longer usable.
    /// </summary>
    public CpioEntry? GetNextEntry()
    {
        if (ended)
        {
            return null;
        }

        FinishCurrent();
        ReadExactly(header);
        var magic = Encoding.ASCII.GetString(header, 0, 6);
        if (magic == "07070X")
        {
            throw new InvalidDataException("the payload uses RPM's stripped cpio format for files over 4 GB, which is not supported");
        }

        if (magic is not ("070701" or "070702"))
        {
            throw new InvalidDataException($"not a cpio \"newc\" archive at offset {offset - HeaderSize} (magic '{Printable(magic)}')");
        }

        var inode = Field(0);
        var mode = Field(1);
        var linkCount = Field(4);
        var mtime = Field(5);
        var size = Field(6);
        var nameSize = Field(11);
        if (nameSize is 0 or > MaxNameSize)
        {
            throw new InvalidDataException($"cpio entry at offset {offset - HeaderSize} has a bad name size {nameSize}");
        }

        var nameBytes = new byte[nameSize];
        ReadExactly(nameBytes);
        if (nameBytes[^1] != 0)
        {
            throw new InvalidDataException($"cpio entry at offset {offset - HeaderSize - nameSize} has a name without its terminating NUL");
        }

        var name = Encoding.UTF8.GetString(nameBytes, 0, (int)nameSize - 1);
        SkipPadding();
        if (name == TrailerName)
        {
            ended = true;
            return null;
        }

        PackageLimits.Size(size, PackageLimits.MaxFileSize, $"cpio entry '{name}'");
        current = new LengthLimitedStream(stream, size);
        var entry = new CpioEntry(name, mode, size, inode, linkCount, mtime) { DataStream = current };
        if (entry.Type == ArchiveEntryType.SymbolicLink)
        {
            if (size > PackageLimits.MaxPathLength)
            {
                throw new InvalidDataException($"cpio entry '{name}' is a symbolic link with a {size}-byte target");
            }

            var target = new byte[size];
            current.ReadExactly(target);
            entry = entry with { LinkTarget = Encoding.UTF8.GetString(target), DataStream = Stream.Null };
        }

        return entry;
    }

    /// <summary>Reads every entry; each entry's data stream is valid only during its iteration step.</summary>
    public IEnumerable<CpioEntry> ReadAll()
    {
        while (GetNextEntry() is { } entry)
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }

    private void FinishCurrent()
    {
        if (current is not null)
        {
            offset = MemberEnd.Skip(stream, current, offset, 4);
            current = null;
        }
    }

    private uint Field(int index)
    {
        var text = header.AsSpan(6 + (index * 8), 8);
        if (!uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"cpio header at offset {offset - HeaderSize} has a field that is not hexadecimal");
        }

        return value;
    }

    private void SkipPadding()
    {
        var padding = (int)((4 - (offset % 4)) % 4);
        if (padding > 0)
        {
            Span<byte> pad = stackalloc byte[4];
            ReadExactly(pad[..padding]);
        }
    }

    private void ReadExactly(Span<byte> buffer)
    {
        stream.ReadExactly(buffer);
        offset += buffer.Length;
    }

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
