using System.Text.Json;
using System.Text.Json.Serialization;
using QemuUserStatic.Architectures;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// What a binfmt_misc mount holds and what it means: every entry with its flags and interpreter, and the OCI
/// platforms this host now runs (its own family natively, plus every enabled qemu-* entry whose interpreter is
/// held open by the kernel (F) or exists).
/// </summary>
/// <param name="Mount">The binfmt_misc folder.</param>
/// <param name="Enabled">binfmt_misc as a whole (the status file).</param>
/// <param name="HostArch">The host architecture, QEMU's name.</param>
/// <param name="Entries">Every entry, sorted by name.</param>
[JsonConverter(typeof(BinfmtStatusJsonConverter))]
internal sealed record BinfmtStatus(string Mount, bool Enabled, string HostArch, IReadOnlyList<KernelEntry> Entries)
{
    /// <summary>Reads the mount.</summary>
    public static BinfmtStatus Read(BinfmtMisc misc, string hostArch) =>
        new(misc.Folder, misc.IsEnabled, hostArch, misc.ReadEntries());

    /// <summary>The host's CPU family.</summary>
    public string HostFamily => ArchitectureTable.FamilyOf(HostArch);

    /// <summary>The table row an entry registers (entry <c>qemu-NAME</c>), or null for other entries.</summary>
    public static TargetArch? TargetOf(KernelEntry entry) =>
        ArchitectureTable.All.FirstOrDefault(t => t.EntryName == entry.Name);

    /// <summary>True when the entry emulates something now: enabled, and its interpreter held open (F) or present.</summary>
    public bool Runs(KernelEntry entry) =>
        Enabled && entry.Enabled &&
        (entry.Entry.Flags.HasFlag(BinfmtFlags.FixBinary) || File.Exists(entry.Entry.Interpreter));

    /// <summary>The platforms that run here now, normalized as Docker prints them, sorted, each once.</summary>
    public IReadOnlyList<string> Platforms =>
        ArchitectureTable.All.Where(t => t.Family == HostFamily)
            .Concat(Entries.Where(Runs).Select(TargetOf).OfType<TargetArch>())
            .SelectMany(t => t.Platforms)
            .Select(p => p.Normalized().ToString())
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The status as indented JSON with a final newline.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteTo(json);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the status as one JSON object (what <c>--status</c> prints, and qus-register's <c>--json</c> carries).</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("mount", Mount);
        json.WriteBoolean("enabled", Enabled);
        json.WriteStartObject("host");
        json.WriteString("arch", HostArch);
        json.WriteString("family", HostFamily);
        json.WriteEndObject();
        json.WriteStartArray("entries");
        foreach (var entry in Entries)
        {
            WriteEntry(json, entry);
        }

        json.WriteEndArray();
        WriteStrings(json, "platforms", Platforms);
        json.WriteEndObject();
    }

    private void WriteEntry(Utf8JsonWriter json, KernelEntry entry)
    {
        var target = TargetOf(entry);
        json.WriteStartObject();
        json.WriteString("name", entry.Name);
        json.WriteBoolean("enabled", entry.Enabled);
        if (target is null)
        {
            json.WriteNull("target");
        }
        else
        {
            json.WriteString("target", target.Name);
        }

        json.WriteString("interpreter", entry.Entry.Interpreter);
        json.WriteString("flags", entry.Entry.Flags.ToLetters());
        if (entry.Entry.Type == BinfmtEntryType.Extension)
        {
            json.WriteString("extension", System.Text.Encoding.UTF8.GetString(entry.Entry.Magic));
        }
        else
        {
            json.WriteNumber("offset", entry.Entry.Offset);
            json.WriteString("magic", entry.Entry.MagicHex);
            json.WriteString("mask", entry.Entry.MaskHex);
        }

        json.WriteBoolean("runs", Runs(entry));
        WriteStrings(json, "platforms", target?.Platforms.Select(p => p.Normalized().ToString()) ?? []);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

/// <summary>Writes a <see cref="BinfmtStatus"/> as <see cref="BinfmtStatus.WriteTo"/> does; a status is never read back.</summary>
internal sealed class BinfmtStatusJsonConverter : JsonConverter<BinfmtStatus>
{
    /// <inheritdoc />
    public override BinfmtStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a binfmt_misc status is written, never read");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BinfmtStatus value, JsonSerializerOptions options) => value.WriteTo(writer);
}
