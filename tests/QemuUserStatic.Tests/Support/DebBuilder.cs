using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Writes small .deb files from C#: the ar container (debian-binary, control.tar.gz, data.tar.gz) around tar
/// archives a test makes with <see cref="RawTar"/>, with any ar mtime. Real-shaped by default: a control file, an
/// md5sums listing the emulator, and a data.tar holding a small "emulator".
/// </summary>
public static class DebBuilder
{
    /// <summary>The control file of every built package.</summary>
    public const string Control =
        "Package: qemu-user-static\nVersion: 1:7.2+dfsg-7\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: test\n";

    /// <summary>The emulator's bytes in the default data.tar.</summary>
    public static byte[] Emulator { get; } = Encoding.ASCII.GetBytes(new string('E', 3000));

    /// <summary>The default control.tar: control and an md5sums naming the emulator.</summary>
    public static byte[] ControlTar() => new RawTar()
        .File("./control", Encoding.ASCII.GetBytes(Control))
        .File("./md5sums", Encoding.ASCII.GetBytes($"{Convert.ToHexStringLower(MD5.HashData(Emulator))}  usr/bin/qemu-aarch64-static\n"))
        .ToArray();

    /// <summary>The default data.tar: folders, the emulator and a link to it.</summary>
    public static byte[] DataTar() => new RawTar()
        .Directory("./usr/").Directory("./usr/bin/")
        .File("./usr/bin/qemu-aarch64-static", Emulator)
        .SymbolicLink("./usr/bin/qemu-arm64-static", "qemu-aarch64-static")
        .ToArray();

    /// <summary>Writes <paramref name="path"/>: a .deb of the given (uncompressed) tars, gzip-compressed inside.</summary>
    public static string Write(string path, byte[]? controlTar = null, byte[]? dataTar = null, long dataMtime = 1_700_000_000)
    {
        using var file = System.IO.File.Create(path);
        file.Write("!<arch>\n"u8);
        Member(file, "debian-binary", "2.0\n"u8.ToArray(), 1_700_000_000);
        Member(file, "control.tar.gz", Gzip(controlTar ?? ControlTar()), 1_700_000_000);
        Member(file, "data.tar.gz", Gzip(dataTar ?? DataTar()), dataMtime);
        return path;
    }

    /// <summary>The gzip of <paramref name="data"/>.</summary>
    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static void Member(Stream ar, string name, byte[] data, long mtime)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{name + "/",-16}{mtime,-12}{0,-6}{0,-6}{"100644",-8}{data.Length,-10}`\n");
        ar.Write(Encoding.ASCII.GetBytes(header));
        ar.Write(data);
        if (data.Length % 2 == 1)
        {
            ar.WriteByte((byte)'\n');
        }
    }
}
