using System.Formats.Tar;
using System.Text.Json.Serialization;
using QemuUserStatic.Archives;

namespace QemuUserStatic.Oci;

/// <summary>
/// One image of a layout as a docker-archive, the tar <c>docker save</c> writes and <c>docker load</c> reads:
/// <c>manifest.json</c> naming the config, the tags and the layers, which are the layout's own blobs under
/// <c>blobs/sha256/HEX</c> (the names Docker 25's save uses). The config goes in byte for byte, so the engine's image
/// ID is the config digest the layout names; layers go in as stored, and docker load checks each against the
/// config's diff_ids. Fixed entry order and metadata: the same image and tags give the same bytes.
/// </summary>
/// <remarks>
/// Not an OCI-layout tar: Debian 12's Docker 20.10 refuses those (only 25 and later load them), while every engine
/// loads a docker-archive.
/// </remarks>
internal sealed class DockerArchive
{
    /// <summary>The file naming the archive's images.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly DateTimeOffset Mtime = DateTimeOffset.UnixEpoch;

    private readonly OciLayout store;
    private readonly IReadOnlyList<Descriptor> blobs;

    private DockerArchive(OciLayout store, Descriptor config, IReadOnlyList<Descriptor> layers, IReadOnlyList<string> repoTags)
    {
        this.store = store;
        Config = config;
        // A layer listed twice is stored once; the config first.
        blobs = [config, .. layers.DistinctBy(l => l.Digest)];
        ManifestJson = OciJson.Serialize<IReadOnlyList<DockerArchiveEntry>>(
            [new DockerArchiveEntry(EntryName(config), repoTags, [.. layers.Select(EntryName)])], DockerArchiveJson.Default.IReadOnlyListDockerArchiveEntry);
    }

    /// <summary>The image's config blob: its digest is the image ID docker load gives it.</summary>
    public Descriptor Config { get; }

    /// <summary>The bytes of <c>manifest.json</c>.</summary>
    public ReadOnlyMemory<byte> ManifestJson { get; }

    /// <summary><paramref name="image"/> (its blobs present, as <see cref="BaseImage.ForPlatformAsync"/> leaves them) tagged <paramref name="repoTags"/>, each <c>REPOSITORY:TAG</c>.</summary>
    public static DockerArchive Of(PlatformImage image, IReadOnlyList<string> repoTags) =>
        new(image.Store, image.Store.ReadJson(image.Manifest, OciJson.Context.ImageManifest).Config, image.Layers, repoTags);

    /// <summary>The path of a blob in the archive.</summary>
    public static string EntryName(Descriptor blob) => $"blobs/sha256/{OciDigest.Hex(blob.Digest)}";

    /// <summary>Writes the archive to <paramref name="output"/> (left open).</summary>
    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        await tar.WriteEntryAsync(ReproducibleTar.Directory("blobs/", Mtime), cancellationToken).ConfigureAwait(false);
        await tar.WriteEntryAsync(ReproducibleTar.Directory("blobs/sha256/", Mtime), cancellationToken).ConfigureAwait(false);
        foreach (var blob in blobs)
        {
            await using var content = store.OpenBlob(blob);
            await tar.WriteEntryAsync(ReproducibleTar.File(EntryName(blob), ReproducibleTar.Regular, Mtime, content), cancellationToken).ConfigureAwait(false);
        }

        await tar.WriteEntryAsync(
            ReproducibleTar.File(ManifestFileName, ReproducibleTar.Regular, Mtime, new MemoryStream(ManifestJson.ToArray(), writable: false)),
            cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>One image of a docker-archive's <c>manifest.json</c>, with Docker's property names.</summary>
/// <param name="Config">The config's path in the archive.</param>
/// <param name="RepoTags">The names the image is loaded as.</param>
/// <param name="Layers">The layers' paths, base first.</param>
internal sealed record DockerArchiveEntry(
    [property: JsonPropertyName("Config")] string Config,
    [property: JsonPropertyName("RepoTags")] IReadOnlyList<string> RepoTags,
    [property: JsonPropertyName("Layers")] IReadOnlyList<string> Layers);

/// <summary>Source-generated JSON for <see cref="DockerArchiveEntry"/> (compact; the names are Docker's, declared on it).</summary>
[JsonSerializable(typeof(IReadOnlyList<DockerArchiveEntry>))]
internal sealed partial class DockerArchiveJson : JsonSerializerContext;
