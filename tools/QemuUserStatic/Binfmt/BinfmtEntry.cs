using System.Globalization;
using System.Text;

namespace QemuUserStatic.Binfmt;

/// <summary>How a binfmt_misc entry recognises a file.</summary>
public enum BinfmtEntryType
{
    /// <summary>M: by magic bytes at an offset.</summary>
    Magic,

    /// <summary>E: by file name extension.</summary>
    Extension,
}

/// <summary>
/// One binfmt_misc entry, as written to /proc/sys/fs/binfmt_misc/register
/// (<c>:name:type:offset:magic:mask:interpreter:flags</c>) and as found in binfmt.d .conf files.
/// </summary>
public sealed record BinfmtEntry(
    string Name,
    BinfmtEntryType Type,
    int Offset,
    byte[] Magic,
    byte[] Mask,
    string Interpreter,
    BinfmtFlags Flags)
{
    /// <summary>The register line, with magic and mask escaped as <c>\xHH</c> so that no byte can end a field.</summary>
    public string ToRegisterLine() =>
        $":{Name}:{(Type == BinfmtEntryType.Magic ? 'M' : 'E')}:{(Offset == 0 ? "" : Offset.ToString(CultureInfo.InvariantCulture))}:" +
        $"{Escape(Magic)}:{Escape(Mask)}:{Interpreter}:{Flags.ToLetters()}";

    /// <summary>Magic as /proc prints it: lower-case hex, no separators.</summary>
    public string MagicHex => Convert.ToHexStringLower(Magic);

    /// <summary>Mask as /proc prints it: lower-case hex, no separators.</summary>
    public string MaskHex => Convert.ToHexStringLower(Mask);

    /// <summary>True when both entries match the same files with the same interpreter and flags.</summary>
    public bool SameAs(BinfmtEntry other) =>
        Name == other.Name && Type == other.Type && Offset == other.Offset && Interpreter == other.Interpreter &&
        Flags == other.Flags && Magic.AsSpan().SequenceEqual(other.Magic) && Mask.AsSpan().SequenceEqual(other.Mask);

    /// <summary>
    /// Parses a register line (<c>:name:M::magic:mask:interpreter:flags</c>) as binfmt.d files hold them.
    /// The first character is the field separator, as the kernel reads it.
    /// </summary>
    public static BinfmtEntry ParseRegisterLine(string line)
    {
        var text = line.TrimEnd('\r', '\n');
        if (text.Length < 2)
        {
            throw new FormatException("empty binfmt_misc entry");
        }

        var separator = text[0];
        var fields = text[1..].Split(separator);
        if (fields.Length < 6 || fields.Length > 7)
        {
            throw new FormatException($"a binfmt_misc entry has 7 fields ':name:type:offset:magic:mask:interpreter:flags', found {fields.Length}");
        }

        var type = fields[1] switch
        {
            "M" => BinfmtEntryType.Magic,
            "E" => BinfmtEntryType.Extension,
            var other => throw new FormatException($"unknown binfmt_misc type '{other}' (M or E)"),
        };
        var offset = fields[2].Length == 0 ? 0 : int.Parse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture);
        var magic = Unescape(fields[3]);
        var mask = fields[4].Length == 0 ? Enumerable.Repeat((byte)0xff, magic.Length).ToArray() : Unescape(fields[4]);
        var flags = fields.Length == 7 ? BinfmtFlagsText.Parse(fields[6]) : BinfmtFlags.None;
        return new BinfmtEntry(fields[0], type, offset, magic, mask, fields[5], flags);
    }

    /// <summary>Escapes every byte as <c>\xHH</c>.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 4);
        foreach (var b in bytes)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }

        return builder.ToString();
    }

    /// <summary>Reads the kernel's escaped form: <c>\xHH</c> escapes, <c>\\</c>, and literal characters.</summary>
    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            {
                if (i + 3 >= text.Length)
                {
                    throw new FormatException($"truncated \\x escape in '{text}'");
                }

                bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i += 1;
            }
            else
            {
                bytes.Add(checked((byte)text[i]));
            }
        }

        return bytes.ToArray();
    }
}
