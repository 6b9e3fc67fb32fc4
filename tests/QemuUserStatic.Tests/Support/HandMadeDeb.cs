using System.Security.Cryptography;

namespace QemuUserStatic.Tests.Support;

/// <summary>Debian packages a test makes, built by the real dpkg-deb from a root folder the test fills.</summary>
public static class HandMadeDeb
{
    /// <summary>The file name of <see cref="Build(string, Action{string}, IEnumerable{string}?)"/>'s packages.</summary>
    public const string FileName = "qemu-user-static_7.2+dfsg-1_amd64.deb";

    /// <summary>A qemu-user-static 1:7.2+dfsg-1 amd64 .deb named <see cref="FileName"/>, as <see cref="Build(string, string, string, Action{string}, IEnumerable{string}?)"/> makes it.</summary>
    public static string Build(string folder, Action<string> fill, IEnumerable<string>? md5sums = null) =>
        Build(folder, FileName, "1:7.2+dfsg-1", fill, md5sums);

    /// <summary>
    /// <paramref name="fileName"/> in <paramref name="folder"/>: a qemu-user-static <paramref name="version"/> amd64 .deb of
    /// what <paramref name="fill"/> puts in the root it is given, with a DEBIAN/md5sums listing <paramref name="md5sums"/>
    /// (package paths, digests computed), or none at all when null: dpkg-deb itself writes none.
    /// </summary>
    public static string Build(string folder, string fileName, string version, Action<string> fill, IEnumerable<string>? md5sums = null)
    {
        var root = Path.Combine(folder, fileName + ".root");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            $"Package: qemu-user-static\nVersion: {version}\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: hand-made\n");
        fill(root);
        if (md5sums is not null)
        {
            File.WriteAllLines(Path.Combine(root, "DEBIAN", "md5sums"),
                md5sums.Select(p => $"{Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(Path.Combine(root, p))))}  {p}"));
        }

        var deb = Path.Combine(folder, fileName);
        ToolProcess.ShellOrThrow($"dpkg-deb --root-owner-group -Zxz -b '{root}' '{deb}' >/dev/null");
        return deb;
    }
}
