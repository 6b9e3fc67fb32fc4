using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>
/// Base images pulled from registries, kept between runs in an OCI layout whose index.json tags each entry with the
/// full reference (<c>docker.io/library/busybox:latest</c>). Blobs are content-addressed, so they never go stale;
/// only what a build needs (one platform's manifest, config, layers) is downloaded.
/// </summary>
public sealed class ImageCache : IDisposable
{
    private readonly Dictionary<string, RegistryClient> clients = new(StringComparer.Ordinal);
    private readonly Func<string, RegistryClient> connect;
    private readonly Reporter reporter;

    private ImageCache(OciLayout layout, Func<string, RegistryClient> connect, Reporter reporter)
    {
        Layout = layout;
        this.connect = connect;
        this.reporter = reporter;
    }

    /// <summary>The cache layout.</summary>
    public OciLayout Layout { get; }

    /// <summary>
    /// The default folder: <c>$XDG_CACHE_HOME/qemu-user-static/images</c>, or <c>~/.cache/qemu-user-static/images</c>.
    /// </summary>
    public static string DefaultFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            return Path.Combine(root, "qemu-user-static", "images");
        }
    }

    /// <summary>
    /// Opens (creating it if needed) the cache in <paramref name="folder"/>; <paramref name="connect"/> makes the client
    /// of a registry the first time one is needed.
    /// </summary>
    public static async Task<ImageCache> OpenAsync(
        string folder, Func<string, RegistryClient> connect, Reporter reporter, CancellationToken cancellationToken = default) =>
        new(await OciLayout.CreateAsync(folder, cancellationToken).ConfigureAwait(false), connect, reporter);

    /// <summary>The base image <paramref name="reference"/>: from the cache, or resolved on its registry and recorded.</summary>
    public async Task<BaseImage> PullAsync(ImageReference reference, PullPolicy policy, CancellationToken cancellationToken)
    {
        var name = reference.ToString();
        RegistryClient Client()
        {
            lock (clients)
            {
                return clients.TryGetValue(reference.Registry, out var client) ? client : clients[reference.Registry] = connect(reference.Registry);
            }
        }

        async Task Fetch(Descriptor blob, CancellationToken ct)
        {
            reporter.Line($"pulling {reference.Name}@{blob.Digest} ({blob.Size} bytes)");
            if (MediaTypes.IsIndex(blob.MediaType) || MediaTypes.IsManifest(blob.MediaType))
            {
                var manifest = await Client().GetManifestAsync(reference.Repository, blob.Digest, ct).ConfigureAwait(false);
                Layout.WriteBlob(manifest.Content, manifest.MediaType);
            }
            else
            {
                await Client().DownloadBlobAsync(reference.Repository, blob, Layout, ct).ConfigureAwait(false);
            }
        }

        var cached = Layout.FindTag(name);
        if (policy == PullPolicy.Missing && cached is not null && Layout.Has(cached))
        {
            return new BaseImage(name, Layout, cached, Fetch);
        }

        reporter.Line($"resolving {name}");
        var root = await Client().GetManifestAsync(reference.Repository, reference.Reference, cancellationToken).ConfigureAwait(false);
        var descriptor = await Layout.TagAsync(Layout.WriteBlob(root.Content, root.MediaType), name, cancellationToken).ConfigureAwait(false);
        return new BaseImage(name, Layout, descriptor, Fetch);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }
}
