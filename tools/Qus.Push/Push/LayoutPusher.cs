using QemuUserStatic.Cli;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// Pushes the tags of an OCI layout to a registry repository with <see cref="RegistryClient"/> (or into another layout):
/// indexes with all their manifests, each sent as the layout's own bytes, so the registry's digests are the layout's
/// (checked against what the registry reports). A blob the registry already has is not uploaded again, so an
/// unchanged layout uploads nothing; transient faults are retried request by request.
/// </summary>
internal sealed class LayoutPusher(Reporter reporter)
{
    /// <summary>
    /// Pushes the <see cref="PushOptions.Tags"/> (every tag when null) of <paramref name="layout"/> to the
    /// <see cref="PushOptions.Destination"/>, with the <see cref="PushOptions.Credentials"/> when the registry asks
    /// for them (a layout needs none).
    /// </summary>
    public async Task<IReadOnlyList<PushedTag>> PushAsync(OciLayout layout, PushOptions options, CancellationToken cancellationToken)
    {
        var (destination, tags, credentials) = (options.Destination, options.Tags, options.Credentials);
        var entries = layout.Tags();
        var unknown = tags?.FirstOrDefault(t => entries.All(e => e.Tag != t));
        if (unknown is not null)
        {
            throw new UserException($"--tags: no tag '{unknown}' in {layout.IndexPath}");
        }

        var selected = entries.Where(e => tags is null || tags.Contains(e.Tag)).ToList();
        if (selected.Count == 0)
        {
            throw new UserException($"{layout.IndexPath}: no tagged image to push");
        }

        if (destination.Layout is { } folder && Path.GetFullPath(layout.Root) == folder)
        {
            throw new UserException($"--to {destination.Name}: that is the layout being pushed");
        }

        using var client = destination.Repository is { } repository
            ? new RegistryClient(repository.Registry, credentials, RegistryCredentials.VariablesNamed, reporter, options.Retry, options.TlsVerify)
            : null;
        var target = destination.Layout is { } path ? await OciLayout.CreateAsync(path, cancellationToken).ConfigureAwait(false) : null;
        // Every tag of a wave runs at once; the slots bound the transfers in flight. Into a layout, one tag at a time,
        // as each rewrites its index.json.
        using var slots = new SemaphoreSlim(target is null ? Math.Max(1, options.Jobs) : 1);
        var pushed = new List<PushedTag>();
        foreach (var wave in PushWaves.Plan(selected, e => layout.Closure(e.Entry)))
        {
            pushed.AddRange(await Task.WhenAll(wave.Select(entry =>
            {
                var tagged = new TaggedImage(layout, entry.Tag, entry.Entry, destination.Reference(entry.Tag), slots, cancellationToken);
                return client is not null
                    ? PushToRegistryAsync(client, destination.Repository!.Repository, tagged, cancellationToken)
                    : CopyToLayoutAsync(target!, tagged, cancellationToken);
            })).ConfigureAwait(false));
        }

        return pushed.OrderBy(p => p.Tag, StringComparer.Ordinal).ToList();
    }

    private async Task<PushedTag> PushToRegistryAsync(RegistryClient client, string repository, TaggedImage image, CancellationToken cancellationToken)
    {
        var content = image.Layout.Closure(image.Entry);
        var blobs = content.Where(d => !IsDocument(d)).ToList();
        await Task.WhenAll(blobs.Select(blob => image.InSlotAsync(async () =>
        {
            if (!await client.HasBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false))
            {
                await using var stream = image.Layout.OpenBlob(blob);
                await client.UploadBlobAsync(repository, blob, stream, cancellationToken).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);

        // What an index lists must be there before the index: image manifests by digest, then nested indexes, the tag last.
        var children = content.Skip(1).Where(IsDocument).OrderBy(d => MediaTypes.IsIndex(d.MediaType)).ToList();
        foreach (var child in children)
        {
            await image.InSlotAsync(async () =>
            {
                if (!await client.HasManifestAsync(repository, child.Digest, cancellationToken).ConfigureAwait(false))
                {
                    await client.PutManifestAsync(repository, child.Digest, image.Layout.ReadBlob(child), child.MediaType, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        var digest = await image.InSlotAsync(() => client.PutManifestAsync(
            repository, image.Tag, image.Layout.ReadBlob(image.Entry), image.Entry.MediaType, cancellationToken)).ConfigureAwait(false);
        return Pushed(image, digest);
    }

    private async Task<PushedTag> CopyToLayoutAsync(OciLayout target, TaggedImage image, CancellationToken cancellationToken)
    {
        await image.InSlotAsync(async () =>
        {
            foreach (var blob in image.Layout.Closure(image.Entry))
            {
                await target.CopyBlobFromAsync(image.Layout, blob, cancellationToken).ConfigureAwait(false);
            }

            await target.TagAsync(image.Entry, image.Tag, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return Pushed(image, image.Entry.Digest);
    }

    private PushedTag Pushed(TaggedImage image, string digest)
    {
        if (digest != image.Entry.Digest)
        {
            throw new UserException($"{image.Destination}: the destination holds {digest}, the layout {image.Entry.Digest}");
        }

        reporter.Line($"pushed {image.Destination}@{digest}");
        return new PushedTag(image.Tag, image.Destination, digest);
    }

    private static bool IsDocument(Descriptor descriptor) => MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType);

    /// <summary>One tag being pushed: where it comes from and goes, and the transfer slots it shares with the others.</summary>
    private sealed record TaggedImage(
        OciLayout Layout, string Tag, Descriptor Entry, string Destination, SemaphoreSlim Slots, CancellationToken Cancellation)
    {
        public Task InSlotAsync(Func<Task> transfer) => InSlotAsync(async () =>
        {
            await transfer().ConfigureAwait(false);
            return true;
        });

        public async Task<T> InSlotAsync<T>(Func<Task<T>> transfer)
        {
            await Slots.WaitAsync(Cancellation).ConfigureAwait(false);
            try
            {
                return await transfer().ConfigureAwait(false);
            }
            finally
            {
                Slots.Release();
            }
        }
    }
}
