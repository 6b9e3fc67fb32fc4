using System.Text;
using QemuUserStatic.Archives;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch.Debian;

/// <summary>
/// A suite's <c>Packages</c> index for one architecture (<c>dists/SUITE/COMPONENT/binary-ARCH/Packages.xz|.gz</c>):
/// which versions of a package exist, and each one's pool file with its size and SHA-256.
/// </summary>
internal static class PackagesIndex
{
    /// <summary>The index file names tried in order: xz (what Debian publishes everywhere), then gzip.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["Packages.xz", "Packages.gz"];

    /// <summary>The index URL of a suite, component and Debian architecture below a mirror.</summary>
    public static Uri Url(Uri mirror, string suite, string component, string debianArch, string fileName) =>
        UrlPath.Combine(mirror, $"dists/{suite}/{component}/binary-{debianArch}/{fileName}");

    /// <summary>The stanzas of the <paramref name="packages"/> in a compressed index (the name says the compression).</summary>
    public static IReadOnlyList<Deb822Stanza> Read(byte[] compressed, string fileName, IReadOnlyCollection<string> packages)
    {
        using var text = Decompression.Open(Decompression.FromSuffix(fileName) ?? Decompression.None, new MemoryStream(compressed, writable: false));
        using var reader = new StreamReader(text, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        return Deb822Stanza.Read(reader, packages.Contains).Where(s => s["Package"] is { } name && packages.Contains(name)).ToList();
    }
}
