using QemuUserStatic.Cli;
using QemuUserStatic.Net;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// Pushes the tags of an OCI layout to a registry repository (or into another layout) with
/// <c>skopeo copy --all --preserve-digests</c>: indexes with all their manifests, the layout's digests kept (checked
/// against skopeo's <c>--digestfile</c>). skopeo asks the registry for each blob before uploading it, so an unchanged
/// layout uploads no blob again; copies that fail on a transient fault (5xx, dropped connection) are retried.
/// </summary>
public sealed class LayoutPusher(Skopeo skopeo, Reporter reporter)
{
    /// <summary>
    /// Pushes the <see cref="PushOptions.Tags"/> (every tag when null) of <paramref name="layout"/> to the
    /// <see cref="PushOptions.Destination"/>, with the <see cref="PushOptions.Credentials"/> when given (through an
    /// in-memory auth file; a layout needs none).
    /// </summary>
    public async Task<IReadOnlyList<PushedTag>> PushAsync(OciLayout layout, PushOptions options, CancellationToken cancellationToken)
    {
        var (destination, tags, credentials) = (options.Destination, options.Tags, options.Credentials);
        if (layout.Root.Contains(':'))
        {
            throw new UserException($"--layout {layout.Root}: skopeo cannot name a layout whose path holds ':'");
        }

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

        if (destination.Layout is { } target && Path.GetFullPath(layout.Root) == target)
        {
            throw new UserException($"--to {destination.Name}: that is the layout being pushed");
        }

        using var authFile = credentials is null || destination.Repository is null ? null : RegistryAuthFile.Create(destination.Repository.Registry, credentials);
        // Copies into one layout all rewrite its index.json: one at a time.
        var jobs = destination.Layout is null ? Math.Max(1, options.Jobs) : 1;
        var pushed = new List<PushedTag>();
        using var slots = new SemaphoreSlim(jobs);
        foreach (var wave in PushWaves.Plan(selected, e => layout.Closure(e.Entry)))
        {
            pushed.AddRange(await Task.WhenAll(wave.Select(async entry =>
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await PushTagAsync(layout, destination, entry.Tag, entry.Entry, authFile, options, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false));
        }

        return pushed.OrderBy(p => p.Tag, StringComparer.Ordinal).ToList();
    }

    private async Task<PushedTag> PushTagAsync(
        OciLayout layout, PushDestination to, string tag, Descriptor entry, RegistryAuthFile? authFile,
        PushOptions options, CancellationToken cancellationToken)
    {
        var destination = to.Reference(tag);
        // In memory, like the credentials: a killed push leaves no temporary folder behind.
        using var digestFile = MemoryFile.Create($"qus-push-{tag}.digest");
        List<string> arguments = ["copy", "--all", "--preserve-digests", "--digestfile", digestFile.Path];
        if (!options.TlsVerify && to.Repository is not null)
        {
            arguments.Add("--dest-tls-verify=false");
        }

        if (authFile is not null)
        {
            arguments.AddRange(["--dest-authfile", authFile.Path]);
        }

        arguments.AddRange([$"oci:{layout.Root}:{tag}", to.SkopeoReference(tag)]);
        for (var attempt = 1; ; attempt++)
        {
            var result = await skopeo.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                var digest = digestFile.ReadAllText().Trim();
                if (digest != entry.Digest)
                {
                    throw new UserException($"{destination}: the destination holds {digest}, the layout {entry.Digest}");
                }

                reporter.Line($"pushed {destination}@{digest}");
                return new PushedTag(tag, destination, digest);
            }

            if (!Skopeo.IsTransient(result) || attempt >= options.Retry.MaxAttempts)
            {
                throw new UserException($"{destination}: skopeo copy failed: {result.Error}");
            }

            var wait = options.Retry.BackoffBefore(attempt + 1);
            reporter.Line(QusHttp.RetryLine($"{destination}: {result.Error}", wait));
            await options.Retry.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
