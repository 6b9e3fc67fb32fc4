using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Images;

/// <summary>
/// A host folder's <c>sbom.spdx.json</c> as the images of that host carry it: at <see cref="ImagePath"/> in its own
/// layer, named with its digest by the <see cref="LabelKey"/> label. Read once (so the bytes checked are the bytes
/// written), within <see cref="MaxSize"/>, and vouched for by the folder's <c>SHA256SUMS</c> where it has one.
/// </summary>
internal sealed class HostSbom
{
    /// <summary>Where the images carry it.</summary>
    public const string ImagePath = "/usr/share/doc/qemu-user-static/sbom.spdx.json";

    /// <summary>The label naming it: <c>PATH sha256:HEX</c>.</summary>
    public const string LabelKey = "io.github.qemu-user-static-cs.sbom";

    /// <summary>
    /// The largest SBOM read: a release of every QEMU target writes about 100 KiB; far beyond that it is not one.
    /// </summary>
    public const long MaxSize = 4 * 1024 * 1024;

    private HostSbom(string path, byte[] content)
    {
        Path = path;
        Content = content;
        Sha256 = Sha256Hex.Of(content);
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>Its bytes, as read.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Their SHA-256 (hex).</summary>
    public string Sha256 { get; }

    /// <summary>The value of the <see cref="LabelKey"/> label.</summary>
    public string LabelValue => $"{ImagePath} sha256:{Sha256}";

    /// <summary>
    /// The SBOM of <paramref name="folder"/>, or null where it has none (folders written before qus-tarballs wrote
    /// one). Anything but a regular file, one over <see cref="MaxSize"/>, or one the folder's SHA256SUMS does not list
    /// with the same hash is a user error naming the file.
    /// </summary>
    public static HostSbom? Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, SpdxDocument.FileName);
        var type = FileTypes.OfLink(path);
        if (type == FileType.Missing)
        {
            return null;
        }

        if (type != FileType.RegularFile)
        {
            throw new UserException($"{path}: {FileTypes.Describe(type)}, not a regular file");
        }

        var sbom = new HostSbom(path, Read(path));
        var sums = System.IO.Path.Combine(folder, Sha256Sums.FileName);
        if (FileTypes.OfLink(sums) != FileType.Missing)
        {
            Sha256Sums.Load(sums).Require(SpdxDocument.FileName, path, sbom.Sha256);
        }

        return sbom;
    }

    private static byte[] Read(string path)
    {
        using var file = SizeLimitedFile.Open(path, MaxSize, "an SBOM");
        var content = new byte[file.Length];
        // Shorter than stat said: changed while read, so not what SHA256SUMS vouches for.
        return file.ReadAtLeast(content, content.Length, throwOnEndOfStream: false) == content.Length
            ? content
            : throw new UserException($"{path}: changed while it was read");
    }
}
