using QemuUserStatic.Cli;
using QemuUserStatic.Manifests;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>Step 3 of the pipeline (qus-images): tarballs folders → one OCI layout with every tag (see <see cref="ImageSetBuilder"/>).</summary>
internal static class ImagesStep
{
    /// <summary>The variables holding the base registry's credentials.</summary>
    private const string BaseUsername = "QUS_BASE_USERNAME", BasePassword = "QUS_BASE_PASSWORD";

    /// <summary>Builds the tags <paramref name="options"/> ask for; prints <c>TAG DIGEST</c> per tag on the result lines.</summary>
    public static async Task<ImagesResult> RunAsync(ImagesOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var hosts = TarballsFolders.Expand(options.Inputs).Select(HostEmulators.Load).ToList();
        var builder = new ImageSetBuilder(hosts, EntrypointScript.Register, options.ImageSet);
        var selected = options.Tags.Count == 0 ? builder.Tags : ImageTag.Select(builder.Tags, options.Tags);

        ImageCache? imageCache = null;
        try
        {
            var built = await builder.BuildAsync(
                options.Output,
                selected,
                ct => BaseImage.ResolveAsync(options.Base, async ct =>
                {
                    var credentials = RegistryCredentials.FromEnvironment(BaseUsername, BasePassword);
                    return imageCache = await ImageCache.OpenAsync(
                        options.Cache,
                        registry => new RegistryClient(registry, credentials, $"{BaseUsername} and {BasePassword}", reporter),
                        reporter, ct).ConfigureAwait(false);
                }, options.Pull, ct),
                reporter,
                cancellationToken).ConfigureAwait(false);

            foreach (var tag in built)
            {
                reporter.Results.WriteLine($"{tag.Tag.Name} {tag.Image.Digest}");
            }

            reporter.Line($"wrote {built.Count} tags ({built.Select(b => b.Image.Digest).Distinct().Count()} images) to {options.Output}");
            return new ImagesResult(Path.GetFullPath(options.Output), [.. built.Select(b => new ImagesResult.Image(b.Tag.Name, b.Image.Digest))]);
        }
        finally
        {
            imageCache?.Dispose();
        }
    }
}
