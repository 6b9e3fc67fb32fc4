using System.Globalization;
using System.Text;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// Writes entries as files another tool registers at boot: binfmt.d <c>.conf</c> lines for systemd-binfmt, or
/// update-binfmts templates in the format of Debian's /usr/share/binfmts/qemu-* files.
/// </summary>
internal static class BinfmtExport
{
    /// <summary>The package name Debian's templates carry (update-binfmts --import requires one).</summary>
    public const string DebianPackage = "qemu-user-static";

    /// <summary>The file name of <paramref name="entry"/> in <paramref name="format"/>.</summary>
    public static string FileName(BinfmtExportFormat format, BinfmtEntry entry) =>
        format == BinfmtExportFormat.Systemd ? entry.Name + ".conf" : entry.Name;

    /// <summary>The file contents of <paramref name="entry"/> in <paramref name="format"/> (ASCII, \n line ends).</summary>
    public static string Render(BinfmtExportFormat format, BinfmtEntry entry)
    {
        if (format == BinfmtExportFormat.Systemd)
        {
            return entry.ToRegisterLine() + "\n";
        }

        // Field order and spelling as in Debian's own files; update-binfmts turns credentials into C (shown OC).
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"package {DebianPackage}\n");
        text.Append(CultureInfo.InvariantCulture, $"interpreter {entry.Interpreter}\n");
        text.Append(CultureInfo.InvariantCulture, $"magic {BinfmtEntry.Escape(entry.Magic)}\n");
        text.Append(CultureInfo.InvariantCulture, $"offset {entry.Offset}\n");
        text.Append(CultureInfo.InvariantCulture, $"mask {BinfmtEntry.Escape(entry.Mask)}\n");
        text.Append(CultureInfo.InvariantCulture, $"credentials {YesNo(entry.Flags.HasFlag(BinfmtFlags.Credentials))}\n");
        text.Append(CultureInfo.InvariantCulture, $"fix_binary {YesNo(entry.Flags.HasFlag(BinfmtFlags.FixBinary))}\n");
        text.Append(CultureInfo.InvariantCulture, $"preserve {YesNo(entry.Flags.HasFlag(BinfmtFlags.PreserveArgv0))}\n");
        return text.ToString();
    }

    /// <summary>
    /// Writes one file per entry into <paramref name="folder"/> (created if needed): every file goes to a temporary
    /// name first and is renamed at the end, so a failure leaves no half-written export. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, BinfmtExportFormat format, IEnumerable<BinfmtEntry> entries)
    {
        Directory.CreateDirectory(folder);
        var staged = new List<(string Temporary, string Final)>();
        try
        {
            foreach (var entry in entries)
            {
                var final = Path.Combine(folder, FileName(format, entry));
                var temporary = Path.Combine(folder, $".{FileName(format, entry)}.tmp-{Environment.ProcessId}");
                File.WriteAllBytes(temporary, Encoding.ASCII.GetBytes(Render(format, entry)));
                staged.Add((temporary, final));
            }
        }
        catch
        {
            staged.ForEach(s => File.Delete(s.Temporary));
            throw;
        }

        foreach (var (temporary, final) in staged)
        {
            File.Move(temporary, final, overwrite: true);
        }

        return staged.Select(s => s.Final).ToList();
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
