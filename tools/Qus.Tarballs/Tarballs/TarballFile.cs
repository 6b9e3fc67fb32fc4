using System.Formats.Tar;
using QemuUserStatic.Archives;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tarballs;

/// <summary>A release tarball: a gzip-compressed ustar archive holding one executable, written reproducibly.</summary>
internal static class TarballFile
{
    /// <summary>
    /// Writes <paramref name="tarballPath"/> (a new file) holding <paramref name="binaryPath"/> as
    /// <paramref name="entryName"/>, mode 0755, owner 0:0, the given mtime; returns its size and SHA-256, computed
    /// as it is written.
    /// </summary>
    public static ManifestFile Write(string binaryPath, string entryName, string tarballPath, DateTimeOffset mtime, int level)
    {
        using var output = new FileStream(tarballPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var hashing = HashingStream.Sha256(output, leaveOpen: true);
        using (var gzip = ReproducibleTar.Gzip(hashing, level, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        using (var binary = SequentialFile.OpenRead(binaryPath))
        {
            tar.WriteEntry(ReproducibleTar.File(entryName, ReproducibleTar.Executable, mtime, binary));
        }

        return new ManifestFile { Name = Path.GetFileName(tarballPath), Size = hashing.BytesHashed, Sha256 = hashing.HexDigest() };
    }
}
