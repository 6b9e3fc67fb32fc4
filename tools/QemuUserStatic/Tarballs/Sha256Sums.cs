using System.Text;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tarballs;

/// <summary>The <c>SHA256SUMS</c> file: <c>sha256sum</c>'s text format, one "digest, two spaces, name" line per file, sorted by name.</summary>
public static class Sha256Sums
{
    /// <summary>The file name in an output folder.</summary>
    public const string FileName = "SHA256SUMS";

    /// <summary>The file's bytes for <paramref name="files"/>.</summary>
    public static byte[] Format(IEnumerable<ManifestFile> files) =>
        Encoding.UTF8.GetBytes(string.Concat(files
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"{f.Sha256}  {f.Name}\n")));
}
