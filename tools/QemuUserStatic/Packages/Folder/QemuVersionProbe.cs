using System.Text;

namespace QemuUserStatic.Packages.Folder;

/// <summary>
/// Finds the version a QEMU linux-user binary prints for <c>--version</c> ("qemu-aarch64 version 7.2.22 (Debian
/// 1:7.2+dfsg-7+deb12u18+b3)"), which the build stores as one string, by scanning the binary's bytes as they
/// stream past — without running a foreign binary.
/// </summary>
internal sealed class QemuVersionProbe
{
    private const int Overlap = 256;
    private static readonly byte[] Marker = " version "u8.ToArray();
    private static readonly byte[] Prefix = "qemu-"u8.ToArray();
    private byte[] tail = [];

    /// <summary>The QEMU version once found (<c>7.2.22</c>), else null.</summary>
    public string? Version { get; private set; }

    /// <summary>Scans the next chunk of the file.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (Version is not null)
        {
            return;
        }

        // Keep the end of the previous chunk so a string split between two reads is still found.
        var window = new byte[tail.Length + chunk.Length];
        tail.CopyTo(window, 0);
        chunk.CopyTo(window.AsSpan(tail.Length));
        Scan(window);
        tail = window.AsSpan(Math.Max(0, window.Length - Overlap)).ToArray();
    }

    private void Scan(ReadOnlySpan<byte> data)
    {
        var from = 0;
        while (from < data.Length)
        {
            var at = data[from..].IndexOf(Marker);
            if (at < 0)
            {
                return;
            }

            at += from;
            from = at + 1;
            var start = data[Math.Max(0, at - 32)..at].LastIndexOf(Prefix);
            if (start < 0 || !IsName(data[(Math.Max(0, at - 32) + start + Prefix.Length)..at]))
            {
                continue;
            }

            var rest = data[(at + Marker.Length)..];
            var end = rest.IndexOfAnyExcept("0123456789.+~-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"u8);
            if (end <= 0 || !char.IsAsciiDigit((char)rest[0]))
            {
                continue;
            }

            Version = Encoding.ASCII.GetString(rest[..end]);
            return;
        }
    }

    private static bool IsName(ReadOnlySpan<byte> name) =>
        name.Length > 0 && name.IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_"u8) < 0;
}
