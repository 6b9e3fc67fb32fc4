using System.Globalization;
using System.Text;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// A binfmt_misc entry as the kernel shows it in <c>/proc/sys/fs/binfmt_misc/NAME</c>:
/// <c>enabled</c>, <c>interpreter PATH</c>, <c>flags: POCF</c>, <c>offset N</c>, <c>magic HEX</c>, <c>mask HEX</c>.
/// </summary>
/// <param name="Enabled">False after <c>echo 0 &gt; NAME</c>: registered, but not used.</param>
/// <param name="Entry">What the entry matches and runs.</param>
public sealed record KernelEntry(bool Enabled, BinfmtEntry Entry)
{
    /// <summary>The entry's name (the file name under the mount).</summary>
    public string Name => Entry.Name;

    /// <summary>
    /// True when the kernel's entry matches the same files with the same interpreter and flags as <paramref name="wanted"/>.
    /// Magic bytes are compared under the mask: a kernel may keep the magic as written or AND-ed with the mask
    /// (6.x keeps it as written, e.g. x86_64's e_ident bits outside <c>fffefe</c>), and both mean the same entry.
    /// </summary>
    public bool Holds(BinfmtEntry wanted)
    {
        var shown = Entry;
        if (shown.Type != wanted.Type || shown.Offset != wanted.Offset || shown.Interpreter != wanted.Interpreter ||
            shown.Flags != wanted.Flags || !shown.Mask.AsSpan().SequenceEqual(wanted.Mask) ||
            shown.Magic.Length != wanted.Magic.Length)
        {
            return false;
        }

        for (var i = 0; i < wanted.Magic.Length; i++)
        {
            if (((shown.Magic[i] ^ wanted.Magic[i]) & wanted.Mask[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses the kernel's text for entry <paramref name="name"/>; a malformed text is a <see cref="FormatException"/>.</summary>
    public static KernelEntry Parse(string name, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] is not ("enabled" or "disabled"))
        {
            throw new FormatException($"{name}: not a binfmt_misc entry (first line '{lines.FirstOrDefault()}')");
        }

        string? interpreter = null, magic = null, mask = null, extension = null;
        var flags = BinfmtFlags.None;
        var offset = 0;
        foreach (var line in lines.Skip(1))
        {
            var (key, value) = SplitField(line);
            switch (key)
            {
                case "interpreter": interpreter = value; break;
                case "flags:": flags = BinfmtFlagsText.Parse(value); break;
                case "offset": offset = int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
                case "magic": magic = value; break;
                case "mask": mask = value; break;
                case "extension": extension = value.TrimStart('.'); break;
            }
        }

        if (interpreter is null || (magic is null && extension is null))
        {
            throw new FormatException($"{name}: binfmt_misc entry without interpreter or magic");
        }

        var entry = extension is not null
            ? new BinfmtEntry(name, BinfmtEntryType.Extension, 0, Encoding.UTF8.GetBytes(extension), [], interpreter, flags)
            : new BinfmtEntry(name, BinfmtEntryType.Magic, offset, Convert.FromHexString(magic!),
                mask is null ? Enumerable.Repeat((byte)0xff, magic!.Length / 2).ToArray() : Convert.FromHexString(mask),
                interpreter, flags);
        return new KernelEntry(lines[0] == "enabled", entry);
    }

    /// <summary>The text the kernel shows for this entry (what <c>cat</c> prints), byte for byte.</summary>
    public string ToProcText()
    {
        var text = new StringBuilder();
        text.Append(Enabled ? "enabled\n" : "disabled\n");
        text.Append(CultureInfo.InvariantCulture, $"interpreter {Entry.Interpreter}\nflags: {Entry.Flags.ToLetters()}\n");
        if (Entry.Type == BinfmtEntryType.Extension)
        {
            text.Append(CultureInfo.InvariantCulture, $"extension .{Encoding.UTF8.GetString(Entry.Magic)}\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"offset {Entry.Offset}\nmagic {Entry.MagicHex}\nmask {Entry.MaskHex}\n");
        }

        return text.ToString();
    }

    // "flags: OCF" keeps its colon in the key, as the kernel writes it; "flags: " alone means no flags.
    private static (string Key, string Value) SplitField(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
    }
}
