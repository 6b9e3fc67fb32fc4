using System.Buffers.Binary;
using System.Text;

namespace QemuUserStatic.Packages.Rpm;

/// <summary>
/// An RPM header structure (the signature header and the main header share it): a 16-byte intro with magic
/// 8e ad e8 01, an index of (tag, type, offset, count) entries and a data section, all big-endian. Every read is
/// bounds-checked: a malformed header is an <see cref="InvalidDataException"/>, never an out-of-range read.
/// </summary>
public sealed class RpmHeader
{
    /// <summary>Data type CHAR.</summary>
    public const int TypeChar = 1;

    /// <summary>Data type INT8.</summary>
    public const int TypeInt8 = 2;

    /// <summary>Data type INT16.</summary>
    public const int TypeInt16 = 3;

    /// <summary>Data type INT32.</summary>
    public const int TypeInt32 = 4;

    /// <summary>Data type INT64.</summary>
    public const int TypeInt64 = 5;

    /// <summary>Data type STRING (one NUL-terminated string).</summary>
    public const int TypeString = 6;

    /// <summary>Data type BIN (a byte blob of Count bytes).</summary>
    public const int TypeBinary = 7;

    /// <summary>Data type STRING_ARRAY (Count NUL-terminated strings).</summary>
    public const int TypeStringArray = 8;

    /// <summary>Data type I18NSTRING (one string per header locale, the first is the default).</summary>
    public const int TypeI18nString = 9;

    /// <summary>Size of the intro: magic (8 bytes), index count and data length.</summary>
    public const int IntroSize = 16;

    // rpm's own limit of tags (hdrblob: at most 0xffff); the data is bounded by PackageLimits.MaxRpmHeaderData.
    private const int MaxEntries = 0xffff;
    private static readonly byte[] Magic = [0x8e, 0xad, 0xe8, 0x01];

    private readonly Dictionary<int, RpmHeaderEntry> entries;
    private readonly int dataStart;

    private RpmHeader(byte[] bytes, Dictionary<int, RpmHeaderEntry> entries, int dataStart)
    {
        Bytes = bytes;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    /// <summary>The header exactly as stored in the file (intro, index, data): what the header digests cover.</summary>
    public byte[] Bytes { get; }

    /// <summary>The index entries, in file order.</summary>
    public IEnumerable<RpmHeaderEntry> Entries => entries.Values;

    /// <summary>
    /// Reads one header from <paramref name="stream"/>; <paramref name="what"/> names it in errors ("signature header").
    /// A short stream is an <see cref="EndOfStreamException"/>.
    /// </summary>
    public static RpmHeader Read(Stream stream, string what)
    {
        var intro = new byte[IntroSize];
        stream.ReadExactly(intro);
        if (!intro.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"the {what} does not start with the header magic 8eade801");
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(intro.AsSpan(8));
        var dataLength = BinaryPrimitives.ReadUInt32BigEndian(intro.AsSpan(12));
        if (count is 0 or > MaxEntries || dataLength > PackageLimits.MaxRpmHeaderData)
        {
            throw new InvalidDataException(
                $"the {what} claims {count} tags and {dataLength} bytes of data, beyond the limits of {MaxEntries} tags and {PackageLimits.MaxRpmHeaderData} bytes");
        }

        var dataStart = IntroSize + ((int)count * 16);
        if (stream.CanSeek && stream.Length - stream.Position < dataStart - IntroSize + dataLength)
        {
            // Checked before the buffer is allocated: a small file must not cost the memory it claims.
            throw new EndOfStreamException();
        }

        var bytes = new byte[dataStart + (int)dataLength];
        intro.CopyTo(bytes, 0);
        stream.ReadExactly(bytes.AsSpan(IntroSize));

        var entries = new Dictionary<int, RpmHeaderEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            var at = bytes.AsSpan(IntroSize + (i * 16), 16);
            var entry = new RpmHeaderEntry(
                BinaryPrimitives.ReadInt32BigEndian(at),
                BinaryPrimitives.ReadInt32BigEndian(at[4..]),
                BinaryPrimitives.ReadInt32BigEndian(at[8..]),
                BinaryPrimitives.ReadInt32BigEndian(at[12..]));
            if (entry.Offset < 0 || entry.Offset > dataLength || entry.Count < 0)
            {
                throw new InvalidDataException($"the {what} has tag {entry.Tag} pointing outside its data");
            }

            entries.TryAdd(entry.Tag, entry);
        }

        return new RpmHeader(bytes, entries, dataStart);
    }

    /// <summary>True when the header has <paramref name="tag"/>.</summary>
    public bool Has(int tag) => entries.ContainsKey(tag);

    /// <summary>A STRING (or the default I18NSTRING) tag, or null when absent.</summary>
    public string? GetString(int tag)
    {
        if (!entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        Expect(entry, TypeString, TypeI18nString, TypeStringArray);
        return ReadStrings(entry, 1)[0];
    }

    /// <summary>A STRING_ARRAY tag (or a single STRING as one element), or null when absent.</summary>
    public IReadOnlyList<string>? GetStrings(int tag)
    {
        if (!entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        Expect(entry, TypeStringArray, TypeString, TypeI18nString);
        return ReadStrings(entry, entry.Type == TypeStringArray ? entry.Count : 1);
    }

    /// <summary>An integer tag of any width as unsigned values, or null when absent.</summary>
    public IReadOnlyList<long>? GetIntegers(int tag)
    {
        if (!entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        var width = entry.Type switch
        {
            TypeChar or TypeInt8 => 1,
            TypeInt16 => 2,
            TypeInt32 => 4,
            TypeInt64 => 8,
            _ => throw new InvalidDataException($"tag {tag} has type {entry.Type}, not an integer type"),
        };
        CheckCount(entry);
        var span = Data(entry, (long)entry.Count * width);
        var values = new long[entry.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var at = span.Slice(i * width, width);
            values[i] = width switch
            {
                1 => at[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(at),
                4 => BinaryPrimitives.ReadUInt32BigEndian(at),
                _ => BinaryPrimitives.ReadInt64BigEndian(at),
            };
        }

        return values;
    }

    /// <summary>The first value of an integer tag, or null when absent or empty.</summary>
    public long? GetInteger(int tag) => GetIntegers(tag) is { Count: > 0 } values ? values[0] : null;

    /// <summary>A BIN tag, or null when absent.</summary>
    public byte[]? GetBinary(int tag)
    {
        if (!entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        Expect(entry, TypeBinary);
        return Data(entry, entry.Count).ToArray();
    }

    private ReadOnlySpan<byte> Data(RpmHeaderEntry entry, long length)
    {
        var start = dataStart + (long)entry.Offset;
        if (start + length > Bytes.Length)
        {
            throw new InvalidDataException($"tag {entry.Tag} runs past the end of the header data");
        }

        return Bytes.AsSpan((int)start, (int)length);
    }

    private string[] ReadStrings(RpmHeaderEntry entry, int count)
    {
        CheckCount(entry);
        if (count > Bytes.Length - dataStart - entry.Offset)
        {
            // Every string takes at least its NUL: more strings than bytes left is a lie, refused before allocating.
            throw new InvalidDataException($"tag {entry.Tag} claims {count} strings in {Bytes.Length - dataStart - entry.Offset} bytes");
        }

        var strings = new string[count];
        var position = dataStart + entry.Offset;
        for (var i = 0; i < count; i++)
        {
            var rest = Bytes.AsSpan(position);
            var end = rest.IndexOf((byte)0);
            if (end < 0)
            {
                throw new InvalidDataException($"tag {entry.Tag} has a string without its terminating NUL");
            }

            strings[i] = Encoding.UTF8.GetString(rest[..end]);
            position += end + 1;
        }

        return strings;
    }

    private static void CheckCount(RpmHeaderEntry entry)
    {
        if (entry.Count > PackageLimits.MaxRpmTagValues)
        {
            throw new InvalidDataException($"tag {entry.Tag} claims {entry.Count} values, more than the limit of {PackageLimits.MaxRpmTagValues}");
        }
    }

    private static void Expect(RpmHeaderEntry entry, params int[] types)
    {
        if (!types.Contains(entry.Type))
        {
            throw new InvalidDataException($"tag {entry.Tag} has type {entry.Type}, expected {string.Join(" or ", types)}");
        }
    }
}
