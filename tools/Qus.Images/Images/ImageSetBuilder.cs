using QemuUserStatic.Archives;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>
/// Builds the image set of one or more <c>qus-tarballs</c> folders (one per host architecture) into an OCI layout,
/// without a daemon. Each emulator is one layer, written once and shared by its <c>FROM-TO</c> image and by
/// <c>latest</c>, so a registry stores every binary once. With several hosts, every tag but <c>FROM-TO</c> names an
/// index with one manifest per host platform. Everything is reproducible: same inputs, same digests.
/// </summary>
internal sealed class ImageSetBuilder
{
    private readonly IReadOnlyList<HostEmulators> hosts;
    private readonly EntrypointScript entrypoint;
    private readonly ImageSetOptions options;

    /// <summary>Checks the inputs (one folder per host, agreeing versions) and names every tag.</summary>
    public ImageSetBuilder(IReadOnlyList<HostEmulators> hosts, EntrypointScript entrypoint, ImageSetOptions options)
    {
        if (hosts.Count == 0)
        {
            throw new UserException("no input folder");
        }

        var twice = hosts.GroupBy(h => h.Host.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new UserException($"two inputs for host {twice.Key}: {string.Join(" and ", twice.Select(h => h.Folder))}");
        }

        var versions = hosts.Select(h => h.Manifest.TagVersion).Distinct().ToList();
        if (options.TagVersion is null && versions.Count > 1)
        {
            throw new UserException($"the inputs have different versions ({string.Join(", ", versions)}); choose one with --tag-version");
        }

        this.hosts = hosts.OrderBy(h => h.Host.Name, StringComparer.Ordinal).ToList();
        this.entrypoint = entrypoint;
        this.options = options;
        Version = options.TagVersion ?? versions[0];
        Tags = ImageTag.All(this.hosts, Version);
    }

    /// <summary>The version in tags and labels.</summary>
    public string Version { get; }

    /// <summary>Every tag of the set, sorted.</summary>
    public IReadOnlyList<ImageTag> Tags { get; }

    /// <summary>
    /// Builds <paramref name="tags"/> into a new layout at <paramref name="output"/> (replacing a previous layout there
    /// only when everything succeeded). The base image is resolved only if a tag needs it.
    /// </summary>
    public async Task<IReadOnlyList<BuiltTag>> BuildAsync(
        string output, IReadOnlyList<ImageTag> tags, Func<CancellationToken, Task<BaseImage>> resolveBase,
        Reporter reporter, CancellationToken cancellationToken)
    {
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !OciLayout.IsLayout(output))
        {
            throw new UserException($"--output {output}: exists and is not an OCI layout; refusing to replace it");
        }

        using var staged = StagedOutput.ReplacingFolder(output);
        var layout = await OciLayout.CreateAsync(staged.Path, cancellationToken).ConfigureAwait(false);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var build = new Build(this, layout, resolveBase, reporter, failed.Token);
        var pending = tags.Select(async tag =>
        {
            try
            {
                return new BuiltTag(tag, await build.TagAsync(tag).ConfigureAwait(false));
            }
            catch
            {
                // Stop the other images at once; the first error is the one reported.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();
        // The images stopped by a failure end cancelled, not faulted, so the failure is what this throws.
        var built = await Task.WhenAll(pending).ConfigureAwait(false);

        var entries = built.OrderBy(b => b.Tag.Name, StringComparer.Ordinal).Select(Entry).ToList();
        await layout.WriteIndexAsync(new ImageIndex { Manifests = entries }, cancellationToken).ConfigureAwait(false);
        staged.Commit();
        return built.OrderBy(b => b.Tag.Name, StringComparer.Ordinal).ToList();
    }

    private Descriptor Entry(BuiltTag built)
    {
        var entry = built.Image.WithAnnotation(AnnotationKeys.RefName, built.Tag.Name);
        return options.Repository is null ? entry : entry.WithAnnotation(AnnotationKeys.ContainerdImageName, $"{options.Repository}:{built.Tag.Name}");
    }

    private long EpochOf(HostEmulators host) => options.SourceDateEpoch ?? host.Manifest.SourceDateEpoch;

    /// <summary>One run of the builder: what has been written to the layout so far.</summary>
    private sealed class Build(
        ImageSetBuilder set, OciLayout layout, Func<CancellationToken, Task<BaseImage>> resolveBase, Reporter reporter,
        CancellationToken cancellationToken)
    {
        private const string RegisterBy = "COPY register /register # qus-images";
        private readonly AsyncMemo<string, Layer> layers = new();
        private readonly AsyncMemo<string, Descriptor> images = new();
        private readonly AsyncMemo<string, PlatformImage> bases = new();
        private readonly AsyncMemo<string, BaseImage> baseImage = new();
        private readonly SemaphoreSlim compressing = new(Math.Max(1, set.options.Jobs));

        public Task<Descriptor> TagAsync(ImageTag tag) => tag switch
        {
            { Host: { } host } => EmulatorImageAsync(set.hosts.Single(h => h.Host.Name == host), tag.Target!),
            { Kind: ImageKind.Emulator } => PerHostAsync(
                $"emulator/{tag.Target}", set.hosts.Where(h => h.Targets.Any(t => t.Name == tag.Target)).ToList(),
                host => EmulatorImageAsync(host, tag.Target!)),
            { Kind: var kind } => PerHostAsync($"{kind}", set.hosts, host => BasedImageAsync(host, kind)),
        };

        // One host: the manifest itself (as the original publishes it); several: an index of one manifest per host.
        private Task<Descriptor> PerHostAsync(string key, IReadOnlyList<HostEmulators> hosts, Func<HostEmulators, Task<Descriptor>> image) =>
            set.hosts.Count == 1
                ? image(hosts[0])
                : images.GetAsync("index/" + key, async () =>
                {
                    var manifests = await Task.WhenAll(hosts.Select(image)).ConfigureAwait(false);
                    var index = new ImageIndex { Manifests = manifests };
                    return layout.WriteJson(index, OciJson.Context.ImageIndex, MediaTypes.ImageIndex);
                });

        private Task<Descriptor> EmulatorImageAsync(HostEmulators host, string target) =>
            images.GetAsync($"emulator/{host.Host.Name}/{target}", async () =>
            {
                var emulator = host.Targets.Single(t => t.Name == target);
                var sbomTask = SbomLayersAsync(host);
                var layer = await EmulatorLayerAsync(host, emulator).ConfigureAwait(false);
                var sbom = await sbomTask.ConfigureAwait(false);
                var created = ImageLabels.Rfc3339(set.EpochOf(host));
                var config = new ImageConfig
                {
                    Created = created,
                    Architecture = host.Platform.Architecture,
                    Variant = host.Platform.Variant,
                    Os = host.Platform.Os,
                    Config = new ContainerConfig { Labels = ImageLabels.For(ImageKind.Emulator, host, target, set.Version, created, set.options) },
                    RootFs = new RootFs { DiffIds = [layer.DiffId, .. sbom.Select(l => l.DiffId)] },
                    History = [EmulatorHistory(emulator, created), .. SbomHistory(sbom, created)],
                };
                return WriteImage(host, config, [layer.Blob, .. sbom.Select(l => l.Blob)], annotations: null);
            });

        private Task<Descriptor> BasedImageAsync(HostEmulators host, ImageKind kind) =>
            images.GetAsync($"{kind}/{host.Host.Name}", async () =>
            {
                var emulators = kind == ImageKind.Emulators ? host.Targets : [];
                var baseTask = BaseForAsync(host);
                var registerTask = RegisterLayerAsync(host, kind == ImageKind.Emulators ? emulators.Select(t => t.Binary.Name).ToList() : null);
                // The SBOM describes the emulators, so only an image carrying them carries it (not register).
                var sbomTask = kind == ImageKind.Emulators ? SbomLayersAsync(host) : Task.FromResult<Layer[]>([]);
                var emulatorLayers = await Task.WhenAll(emulators.Select(t => EmulatorLayerAsync(host, t))).ConfigureAwait(false);
                var (based, register) = (await baseTask.ConfigureAwait(false), await registerTask.ConfigureAwait(false));
                var sbom = await sbomTask.ConfigureAwait(false);
                var created = ImageLabels.Rfc3339(set.EpochOf(host));
                var runtime = (based.Config.Config ?? new ContainerConfig()) with
                {
                    Entrypoint = [EntrypointScript.ImagePath],
                    Cmd = null, // Docker drops an inherited CMD when a build sets ENTRYPOINT.
                    Labels = Merge(based.Config.Config?.Labels, ImageLabels.For(kind, host, null, set.Version, created, set.options)),
                };
                var config = new ImageConfig
                {
                    Created = created,
                    Architecture = host.Platform.Architecture,
                    Variant = host.Platform.Variant,
                    Os = host.Platform.Os,
                    Config = runtime.WithEnv("QEMU_BIN_DIR", "/usr/bin"),
                    RootFs = new RootFs
                    {
                        DiffIds = [.. based.Config.RootFs.DiffIds, register.DiffId, .. emulatorLayers.Select(l => l.DiffId), .. sbom.Select(l => l.DiffId)],
                    },
                    History =
                    [
                        .. based.Config.History ?? [],
                        new HistoryEntry { Created = created, CreatedBy = RegisterBy },
                        .. emulators.Select(t => EmulatorHistory(t, created)),
                        .. SbomHistory(sbom, created),
                        new HistoryEntry { Created = created, CreatedBy = "ENV QEMU_BIN_DIR=/usr/bin ENTRYPOINT [\"/register\"]", EmptyLayer = true },
                    ],
                };
                var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [AnnotationKeys.BaseDigest] = based.Manifest.Digest };
                if (!based.BaseName.StartsWith(BaseImage.LayoutPrefix, StringComparison.Ordinal))
                {
                    // A local layout's path means nothing elsewhere and would make digests depend on where it lies.
                    annotations[AnnotationKeys.BaseName] = based.BaseName;
                }

                return WriteImage(host, config, [.. based.Layers, register.Blob, .. emulatorLayers.Select(l => l.Blob), .. sbom.Select(l => l.Blob)], annotations);
            });

        private Descriptor WriteImage(
            HostEmulators host, ImageConfig config, IReadOnlyList<Descriptor> imageLayers, SortedDictionary<string, string>? annotations)
        {
            var configBlob = layout.WriteJson(config, OciJson.Context.ImageConfig, MediaTypes.ImageConfig);
            var manifest = new ImageManifest { Config = configBlob, Layers = imageLayers, Annotations = annotations };
            return layout.WriteJson(manifest, OciJson.Context.ImageManifest, MediaTypes.ImageManifest) with { Platform = host.Platform };
        }

        private Task<Layer> EmulatorLayerAsync(HostEmulators host, ManifestTarget target) =>
            layers.GetAsync($"emulator/{host.Host.Name}/{target.Name}", () => CompressAsync(
                () => [host.EmulatorFile(target)], set.EpochOf(host), $"{host.Host.Name}: {target.Binary.Name}"));

        // One layer per host, the last of every image that carries its emulators: none where the folder has no SBOM.
        private async Task<Layer[]> SbomLayersAsync(HostEmulators host) =>
            host.Sbom is not { } sbom
                ? []
                : [await layers.GetAsync($"sbom/{host.Host.Name}", () => CompressAsync(
                    () => [LayerFile.FromBytes(HostSbom.ImagePath, sbom.Content, ReproducibleTar.Regular)],
                    set.EpochOf(host), $"{host.Host.Name}: {SpdxDocument.FileName}")).ConfigureAwait(false)];

        // The same script and mtime give the same blob, so images with the same emulators and epoch share one register
        // layer; an image's script registers what it carries (null: the register image, which carries none).
        private Task<Layer> RegisterLayerAsync(HostEmulators host, IReadOnlyList<string>? carried) =>
            layers.GetAsync($"register/{set.EpochOf(host)}/{(carried is null ? "*" : string.Join(',', carried))}", () => CompressAsync(
                () => [LayerFile.FromBytes(EntrypointScript.ImagePath, set.entrypoint.For(carried), ReproducibleTar.Executable)],
                set.EpochOf(host), "register"));

        private async Task<Layer> CompressAsync(Func<IReadOnlyList<LayerFile>> files, long epoch, string what)
        {
            await compressing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var layer = await Layer.WriteAsync(layout, files(), ReproducibleTar.Mtime(epoch), cancellationToken).ConfigureAwait(false);
                reporter.Line($"layer {what}: {layer.Blob.Size} bytes {layer.Blob.Digest}");
                return layer;
            }
            finally
            {
                compressing.Release();
            }
        }

        private Task<PlatformImage> BaseForAsync(HostEmulators host) =>
            bases.GetAsync(host.Platform.ToString(), async () =>
            {
                var resolved = await baseImage.GetAsync("", () => resolveBase(cancellationToken)).ConfigureAwait(false);
                var image = await resolved.ForPlatformAsync(host.Platform, cancellationToken).ConfigureAwait(false);
                foreach (var layer in image.Layers)
                {
                    await layout.CopyBlobFromAsync(image.Store, layer, cancellationToken).ConfigureAwait(false);
                }

                reporter.Line($"base {image.BaseName} for {host.Platform}: {image.Manifest.Digest}");
                return image;
            });

        private static HistoryEntry EmulatorHistory(ManifestTarget target, string created) =>
            new() { Created = created, CreatedBy = $"COPY {target.Binary.Name} /usr/bin/ # qus-images" };

        private static IEnumerable<HistoryEntry> SbomHistory(Layer[] sbom, string created) =>
            sbom.Select(_ => new HistoryEntry
            {
                Created = created, CreatedBy = $"COPY {SpdxDocument.FileName} {Path.GetDirectoryName(HostSbom.ImagePath)}/ # qus-images",
            });

        private static SortedDictionary<string, string> Merge(SortedDictionary<string, string>? inherited, SortedDictionary<string, string> own)
        {
            var merged = new SortedDictionary<string, string>(inherited ?? [], StringComparer.Ordinal);
            foreach (var (key, value) in own)
            {
                merged[key] = value;
            }

            return merged;
        }
    }
}
