using System.Text.Json.Serialization.Metadata;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Oci;

/// <summary>
/// An OCI image layout folder (image-spec v1.1): <c>oci-layout</c>, <c>index.json</c> naming the tagged entries, and
/// content-addressed <c>blobs/sha256/</c>. Blobs and index.json are written under temporary names and renamed, so a
/// reader never sees half a file.
/// </summary>
public sealed class OciLayout
{
    /// <summary>The layout marker file.</summary>
    public const string LayoutFileName = "oci-layout";

    /// <summary>The file naming the layout's entries.</summary>
    public const string IndexFileName = "index.json";

    private OciLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The layout folder.</summary>
    public string Root { get; }

    /// <summary>Path of <c>index.json</c>.</summary>
    public string IndexPath => Path.Combine(Root, IndexFileName);

    /// <summary>True when <paramref name="folder"/> holds an <c>oci-layout</c> file.</summary>
    public static bool IsLayout(string folder) => File.Exists(Path.Combine(folder, LayoutFileName));

    /// <summary>Makes <paramref name="folder"/> a layout (keeping blobs already there) with an empty index if it has none.</summary>
    public static async Task<OciLayout> CreateAsync(string folder, CancellationToken cancellationToken = default)
    {
        var layout = new OciLayout(folder);
        Directory.CreateDirectory(Path.Combine(layout.Root, "blobs", "sha256"));
        if (!IsLayout(folder))
        {
            var marker = OciJson.Serialize(new OciLayoutFile(), OciJson.Context.OciLayoutFile);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(layout.Root, LayoutFileName), marker, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(layout.IndexPath))
        {
            await layout.WriteIndexAsync(new ImageIndex { Manifests = [] }, cancellationToken).ConfigureAwait(false);
        }

        return layout;
    }

    /// <summary>Opens an existing layout; a folder that is not one is a user error.</summary>
    public static OciLayout Open(string folder)
    {
        var path = Path.Combine(folder, LayoutFileName);
        if (!File.Exists(path))
        {
            throw new UserException($"{folder}: not an OCI image layout (no {LayoutFileName} file)");
        }

        var marker = OciJson.Deserialize(File.ReadAllBytes(path), OciJson.Context.OciLayoutFile, path);
        if (!marker.ImageLayoutVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new UserException($"{path}: imageLayoutVersion {marker.ImageLayoutVersion} is not supported (expected 1.x)");
        }

        return new OciLayout(folder);
    }

    /// <summary>The file of blob <paramref name="digest"/>.</summary>
    public string BlobPath(string digest) => Path.Combine(Root, "blobs", "sha256", OciDigest.Hex(digest));

    /// <summary>True when the blob is present with the expected size.</summary>
    public bool Has(Descriptor blob)
    {
        var info = new FileInfo(BlobPath(blob.Digest));
        return info.Exists && info.Length == blob.Size;
    }

    /// <summary>Starts writing a blob whose digest is known only at the end.</summary>
    public BlobWriter NewBlob() =>
        new(this, Path.Combine(Root, "blobs", "sha256", $".partial-{Guid.NewGuid():N}"));

    /// <summary>Writes <paramref name="content"/> as a blob.</summary>
    public Descriptor WriteBlob(ReadOnlySpan<byte> content, string mediaType)
    {
        using var blob = NewBlob();
        blob.Stream.Write(content);
        return blob.Commit(mediaType);
    }

    /// <summary>Writes a JSON document as a blob.</summary>
    public Descriptor WriteJson<T>(T document, JsonTypeInfo<T> type, string mediaType) =>
        WriteBlob(OciJson.Serialize(document, type), mediaType);

    /// <summary>Copies a blob from another layout unless it is already here (same digest, same bytes).</summary>
    public async Task CopyBlobFromAsync(OciLayout source, Descriptor blob, CancellationToken cancellationToken)
    {
        if (Has(blob))
        {
            return;
        }

        using var writer = NewBlob();
        await using (var input = source.OpenBlob(blob))
        {
            await input.CopyToAsync(writer.Stream, cancellationToken).ConfigureAwait(false);
        }

        var written = writer.Commit(blob.MediaType);
        if (written.Digest != blob.Digest)
        {
            throw new UserException($"{source.BlobPath(blob.Digest)}: content does not match its digest {blob.Digest}");
        }
    }

    /// <summary>Opens a blob for reading; a missing blob is a user error naming the layout.</summary>
    public Stream OpenBlob(Descriptor blob)
    {
        var path = BlobPath(blob.Digest);
        if (!File.Exists(path))
        {
            throw new UserException($"{Root}: blob {blob.Digest} is missing");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    /// <summary>Reads a small blob (a manifest, an index, a config) and checks it against its digest.</summary>
    public byte[] ReadBlob(Descriptor blob)
    {
        byte[] content;
        using (var stream = OpenBlob(blob))
        {
            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }

        if (OciDigest.Of(content) != blob.Digest)
        {
            throw new UserException($"{BlobPath(blob.Digest)}: content does not match its digest {blob.Digest}");
        }

        return content;
    }

    /// <summary>Reads a JSON blob checked against its digest.</summary>
    public T ReadJson<T>(Descriptor blob, JsonTypeInfo<T> type) => OciJson.Deserialize(ReadBlob(blob), type, BlobPath(blob.Digest));

    /// <summary>The layout's index.json (empty when the file is missing).</summary>
    public ImageIndex ReadIndex() =>
        File.Exists(IndexPath)
            ? OciJson.Deserialize(File.ReadAllBytes(IndexPath), OciJson.Context.ImageIndex, IndexPath)
            : new ImageIndex { Manifests = [] };

    /// <summary>Replaces index.json.</summary>
    public Task WriteIndexAsync(ImageIndex index, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllBytesAsync(IndexPath, OciJson.Serialize(index, OciJson.Context.ImageIndex), cancellationToken);

    /// <summary>Points <paramref name="tag"/> at <paramref name="entry"/> in index.json, replacing what the tag named before.</summary>
    public async Task<Descriptor> TagAsync(Descriptor entry, string tag, CancellationToken cancellationToken = default)
    {
        var tagged = entry.WithAnnotation(AnnotationKeys.RefName, tag);
        var index = ReadIndex();
        await WriteIndexAsync(
            index with { Manifests = [.. index.Manifests.Where(m => m.Annotation(AnnotationKeys.RefName) != tag), tagged] },
            cancellationToken).ConfigureAwait(false);
        return tagged;
    }

    /// <summary>The entry tagged <paramref name="tag"/> (<c>org.opencontainers.image.ref.name</c>), or null.</summary>
    public Descriptor? FindTag(string tag) => ReadIndex().Manifests.FirstOrDefault(m => m.Annotation(AnnotationKeys.RefName) == tag);

    /// <summary>Every tagged entry, in index.json order.</summary>
    public IReadOnlyList<(string Tag, Descriptor Entry)> Tags() =>
        ReadIndex().Manifests
            .Where(m => m.Annotation(AnnotationKeys.RefName) is not null)
            .Select(m => (m.Annotation(AnnotationKeys.RefName)!, m))
            .ToList();

    /// <summary>
    /// Everything <paramref name="root"/> needs, itself first: for an index its manifests and theirs, for a manifest
    /// its config and layers. Each digest once.
    /// </summary>
    public IReadOnlyList<Descriptor> Closure(Descriptor root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var content = new List<Descriptor>();
        void Visit(Descriptor blob)
        {
            if (!seen.Add(blob.Digest))
            {
                return;
            }

            content.Add(blob);
            if (MediaTypes.IsIndex(blob.MediaType))
            {
                foreach (var manifest in ReadJson(blob, OciJson.Context.ImageIndex).Manifests)
                {
                    Visit(manifest);
                }
            }
            else if (MediaTypes.IsManifest(blob.MediaType))
            {
                var manifest = ReadJson(blob, OciJson.Context.ImageManifest);
                Visit(manifest.Config);
                foreach (var layer in manifest.Layers)
                {
                    Visit(layer);
                }
            }
        }

        Visit(root);
        return content;
    }

    /// <summary>Moves a finished temporary file to the blob path of <paramref name="digest"/>.</summary>
    internal void Adopt(string temporaryPath, string digest)
    {
        var path = BlobPath(digest);
        if (File.Exists(path))
        {
            // Same digest, same bytes: the blob is already stored (another layer or a concurrent writer).
            File.Delete(temporaryPath);
            return;
        }

        File.Move(temporaryPath, path, overwrite: true);
    }
}
