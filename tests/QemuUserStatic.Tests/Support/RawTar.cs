using System.Globalization;
using System.Text;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Writes tar archives header block by header block, so that a test can declare what real tools never would: a
/// GNU long name or a PAX header of a gigabyte, a PAX size of 10^23, a sparse entry. Sizes are what the header
/// declares; the data written may be shorter (a lie a hostile package tells).
/// </summary>
public sealed class RawTar
{
    private readonly MemoryStream bytes = new();

    /// <summary>A regular file (type '0') with <paramref name="data"/>.</summary>
    public RawTar File(string name, byte[] data, char type = '0') => Header(name, type, data.LongLength).Data(data);

    /// <summary>A symbolic link.</summary>
    public RawTar SymbolicLink(string name, string target) => Header(name, '2', 0, target);

    /// <summary>A directory.</summary>
    public RawTar Directory(string name) => Header(name, '5', 0);

    /// <summary>A header of <paramref name="type"/> declaring <paramref name="size"/> bytes, followed by <paramref name="data"/> only.</summary>
    public RawTar Declared(char type, long size, byte[] data) => Header("././@LongLink", type, size).Data(data, pad: false);

    /// <summary>A PAX extended header ('x') with the records given, for the next entry.</summary>
    public RawTar Pax(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while ((length.ToString(CultureInfo.InvariantCulture) + body).Length != length)
            {
                length++;
            }

            text.Append(length.ToString(CultureInfo.InvariantCulture)).Append(body);
        }

        var data = Encoding.UTF8.GetBytes(text.ToString());
        return Header("PaxHeaders/x", 'x', data.Length).Data(data);
    }

    /// <summary>The archive with its two end blocks.</summary>
    public byte[] ToArray()
    {
        var result = bytes.ToArray();
        return [.. result, .. new byte[1024]];
    }

    /// <summary>The archive without end blocks (for one cut short after a lying header).</summary>
    public byte[] ToArrayWithoutEnd() => bytes.ToArray();

    private RawTar Header(string name, char type, long size, string link = "")
    {
        var header = new byte[512];
        Encoding.UTF8.GetBytes(name).AsSpan(0, Math.Min(100, Encoding.UTF8.GetByteCount(name))).CopyTo(header);
        Octal(header, 100, 8, 0b111_101_101);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        if (size < 8L << 30)
        {
            Octal(header, 124, 12, size);
        }
        else
        {
            // GNU base-256 for sizes an octal field cannot hold.
            header[124] = 0x80;
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(128, 8), size);
        }

        Octal(header, 136, 12, 1_700_000_000);
        header[156] = (byte)type;
        Encoding.UTF8.GetBytes(link).CopyTo(header, 157);
        "ustar  \0"u8.CopyTo(header.AsSpan(257));
        "root"u8.CopyTo(header.AsSpan(265));
        "root"u8.CopyTo(header.AsSpan(297));
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        bytes.Write(header);
        return this;
    }

    private RawTar Data(byte[] data, bool pad = true)
    {
        bytes.Write(data);
        if (pad && data.Length % 512 != 0)
        {
            bytes.Write(new byte[512 - (data.Length % 512)]);
        }

        return this;
    }

    private static void Octal(byte[] header, int at, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(header, at);
}
