using QemuUserStatic.Common;

namespace QemuUserStatic.Oci;

/// <summary>
/// A blob being written into a layout: bytes go to a temporary file next to the blobs and are digested on the way;
/// <see cref="Commit"/> renames the file to its digest, so a blob path never holds a partial file.
/// Disposing without committing deletes the temporary file.
/// </summary>
public sealed class BlobWriter : IDisposable
{
    private readonly OciLayout layout;
    private readonly string temporaryPath;
    private readonly HashingStream hashing;
    private bool done;

    internal BlobWriter(OciLayout layout, string temporaryPath)
    {
        this.layout = layout;
        this.temporaryPath = temporaryPath;
        var file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        hashing = HashingStream.Sha256(file);
    }

    /// <summary>Where to write the blob's bytes.</summary>
    public Stream Stream => hashing;

    /// <summary>Closes the file, moves it to its digest's path and returns its descriptor.</summary>
    public Descriptor Commit(string mediaType)
    {
        var size = hashing.BytesHashed;
        var digest = OciDigest.FromHex(hashing.HexDigest());
        hashing.Dispose();
        done = true;
        layout.Adopt(temporaryPath, digest);
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!done)
        {
            hashing.Dispose();
            File.Delete(temporaryPath);
            done = true;
        }
    }
}
