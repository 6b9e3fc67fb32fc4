using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>
/// The image the <c>latest</c> and <c>register</c> images are built on: a registry reference pulled into the cache
/// (<see cref="DefaultReference"/>), or a tag of a local layout (<c>oci:DIR:TAG</c>). Blobs a platform needs
/// are fetched on first use.
/// </summary>
public sealed class BaseImage
{
    /// <summary>The prefix of local-layout bases.</summary>
    public const string LayoutPrefix = "oci:";

    /// <summary>The base qus-images takes when none is given; the images action and the pipeline workflow leave it to the tool.</summary>
    public const string DefaultReference = "docker.io/library/busybox:latest";

    private readonly Func<Descriptor, CancellationToken, Task>? fetch;
    private readonly string role;

    internal BaseImage(string name, OciLayout store, Descriptor root, Func<Descriptor, CancellationToken, Task>? fetch, string role = "base")
    {
        Name = name;
        Store = store;
        Root = root;
        this.fetch = fetch;
        this.role = role;
    }

    /// <summary>The base as named by the user.</summary>
    public string Name { get; }

    /// <summary>The layout holding the base's blobs (the cache, or the user's layout).</summary>
    public OciLayout Store { get; }

    /// <summary>The base's index or manifest.</summary>
    public Descriptor Root { get; }

    /// <summary>
    /// Resolves <paramref name="text"/>: <c>oci:DIR[:TAG]</c> opens a local layout; anything else is a registry reference
    /// pulled into the cache <paramref name="openCache"/> opens (only then).
    /// </summary>
    public static async Task<BaseImage> ResolveAsync(
        string text, Func<CancellationToken, Task<ImageCache>> openCache, PullPolicy policy, CancellationToken cancellationToken)
    {
        if (text.StartsWith(LayoutPrefix, StringComparison.Ordinal))
        {
            return FromLayout(text);
        }

        var reference = ImageReference.Parse(text, "--base");
        var cache = await openCache(cancellationToken).ConfigureAwait(false);
        return await cache.PullAsync(reference, policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A tag of a local layout, <c>oci:DIR[:TAG]</c>; without a tag the layout must hold one entry. Errors name the
    /// option <paramref name="what"/> and call the image <paramref name="role"/> (other tools read images this way too).
    /// </summary>
    public static BaseImage FromLayout(string text, string what = "--base", string role = "base")
    {
        var rest = text[LayoutPrefix.Length..];
        var colon = rest.LastIndexOf(':');
        var (folder, tag) = colon > 0 && !rest[(colon + 1)..].Contains('/') ? (rest[..colon], rest[(colon + 1)..]) : (rest, null);
        var layout = OciLayout.Open(folder);
        var entries = layout.ReadIndex().Manifests;
        var root = tag is null
            ? entries.Count == 1 ? entries[0] : throw new UserException($"{what} {text}: the layout has {entries.Count} entries; name one as oci:DIR:TAG")
            : layout.FindTag(tag) ?? throw new UserException(
                $"{what} {text}: no tag '{tag}' in {folder} (tags: {string.Join(", ", layout.Tags().Select(t => t.Tag))})");
        return new BaseImage(text, layout, root, fetch: null, role);
    }

    /// <summary>The base's image for <paramref name="platform"/>, its blobs present in <see cref="Store"/>.</summary>
    public async Task<PlatformImage> ForPlatformAsync(OciPlatform platform, CancellationToken cancellationToken)
    {
        var manifestDescriptor = Root;
        if (MediaTypes.IsIndex(Root.MediaType))
        {
            await EnsureAsync(Root, cancellationToken).ConfigureAwait(false);
            var index = Store.ReadJson(Root, OciJson.Context.ImageIndex);
            manifestDescriptor = index.ManifestFor(platform) ?? throw new UserException(
                $"{role} {Name} has no image for {platform} (it has: {string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? "?"))})");
        }
        else if (!MediaTypes.IsManifest(Root.MediaType))
        {
            throw new UserException($"{role} {Name}: unsupported media type '{Root.MediaType}'");
        }

        await EnsureAsync(manifestDescriptor, cancellationToken).ConfigureAwait(false);
        var manifest = Store.ReadJson(manifestDescriptor, OciJson.Context.ImageManifest);
        await EnsureAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
        var config = Store.ReadJson(manifest.Config, OciJson.Context.ImageConfig);
        if (!config.Platform.Matches(platform))
        {
            throw new UserException($"{role} {Name} is a {config.Platform} image; {platform} is needed");
        }

        var layers = new List<Descriptor>();
        foreach (var layer in manifest.Layers)
        {
            var type = MediaTypes.OciLayerType(layer.MediaType) ?? throw new UserException(
                $"{role} {Name}: layer {layer.Digest} has the unsupported media type '{layer.MediaType}'");
            await EnsureAsync(layer, cancellationToken).ConfigureAwait(false);
            layers.Add(layer with { MediaType = type, Annotations = null, Platform = null });
        }

        if (layers.Count != config.RootFs.DiffIds.Count)
        {
            throw new UserException($"{role} {Name}: {layers.Count} layers but {config.RootFs.DiffIds.Count} diff_ids in its config");
        }

        return new PlatformImage(Name, manifestDescriptor, config, layers, Store);
    }

    private async Task EnsureAsync(Descriptor blob, CancellationToken cancellationToken)
    {
        if (Store.Has(blob))
        {
            return;
        }

        if (fetch is null)
        {
            throw new UserException($"{role} {Name}: blob {blob.Digest} is missing from {Store.Root}");
        }

        await fetch(blob, cancellationToken).ConfigureAwait(false);
    }
}
