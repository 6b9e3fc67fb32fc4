using System.Formats.Tar;
using System.Security.Cryptography;
using QemuUserStatic.Archives;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Oci;

/// <summary>
/// A layer written into a layout: its blob (tar+gzip) and its uncompressed digest (the config's diff_id).
/// Layers are made reproducibly: entries sorted by path, parent folders included, owner 0:0, one fixed mtime,
/// ustar headers and a gzip header without a timestamp (<see cref="ReproducibleTar"/>); the same files give the
/// same digest on every run and every machine.
/// </summary>
public sealed record Layer(Descriptor Blob, string DiffId)
{
    /// <summary>
    /// The gzip level of layers. On QEMU's emulators zlib-ng's level 5 gives within 0.4 % of level 6 (gzip's and
    /// docker push's default) for about a quarter less CPU, and compression is most of an image build's time.
    /// </summary>
    public const int CompressionLevel = 5;

    /// <summary>Writes <paramref name="files"/> as one layer blob into <paramref name="layout"/>.</summary>
    public static async Task<Layer> WriteAsync(
        OciLayout layout, IReadOnlyList<LayerFile> files, DateTimeOffset mtime, CancellationToken cancellationToken)
    {
        // Compression is CPU-bound: run it on the pool with synchronous writes, several layers in parallel.
        return await Task.Run(() => Write(layout, files, mtime, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static Layer Write(OciLayout layout, IReadOnlyList<LayerFile> files, DateTimeOffset mtime, CancellationToken cancellationToken)
    {
        using var blob = layout.NewBlob();
        string diffId;
        using (var gzip = ReproducibleTar.Gzip(blob.Stream, CompressionLevel, leaveOpen: true))
        using (var tarBytes = HashingStream.Sha256(gzip, leaveOpen: true))
        {
            using (var tar = new TarWriter(tarBytes, TarEntryFormat.Ustar, leaveOpen: true))
            {
                // One sorted sequence: a folder sorts before everything inside it, so parents come first.
                var folders = files.SelectMany(f => Ancestors(f.Path)).Concat(files.Where(f => f.IsFolder).Select(f => f.Path))
                    .Distinct().Select(d => (Path: d, File: (LayerFile?)null));
                var entries = files.Where(f => !f.IsFolder).Select(f => (f.Path, (LayerFile?)f));
                foreach (var (path, file) in folders.Concat(entries).OrderBy(e => e.Path, StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (file is null)
                    {
                        tar.WriteEntry(ReproducibleTar.Directory(path, mtime));
                        continue;
                    }

                    if (file.LinkTarget is { } target)
                    {
                        tar.WriteEntry(ReproducibleTar.SymbolicLink(path, target, mtime));
                        continue;
                    }

                    // Digested on the way when the file names an expected SHA-256: the check costs no second read.
                    using var content = new HashingStream(file.Open(), file.ExpectedSha256 is null ? null : HashAlgorithmName.SHA256) { ReportsLength = true };
                    tar.WriteEntry(ReproducibleTar.File(path, file.Mode, mtime, content));
                    Verify(file, content);
                }
            }

            diffId = OciDigest.FromHex(tarBytes.HexDigest());
        }

        return new Layer(blob.Commit(MediaTypes.LayerGzip), diffId);
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0 && slash < path.Length - 1; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..(slash + 1)];
        }
    }

    /// <summary>Throws a user error when the bytes read are not the whole file or not the expected digest.</summary>
    private static void Verify(LayerFile file, HashingStream content)
    {
        if (file.ExpectedSha256 is { } expected && (content.BytesHashed != content.Length || content.HexDigest() != expected))
        {
            throw new UserException($"{file.SourcePath ?? file.Path}: does not match its expected sha256 {expected}");
        }
    }
}
