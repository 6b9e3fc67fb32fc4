using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// Where the images under test and the guest come from: the tags of an OCI layout from qus-images (<c>oci:DIR:TAG</c>)
/// or of a registry repository (<c>docker://REPO:TAG</c>), and the guest as a registry reference or <c>oci:DIR:TAG</c>.
/// Registry images are pulled with our own client into a local layout, which the engines read.
/// </summary>
internal sealed record ImageSources
{
    private ImageSources(OciLayout? layout, ImageReference? repository, string guest, bool tlsVerify)
    {
        Layout = layout;
        Repository = repository;
        Guest = guest;
        TlsVerify = tlsVerify;
    }

    private const string RegistryPrefix = "docker://";

    private readonly SemaphoreSlim pulling = new(1, 1);

    /// <summary>The layout holding the images, or null when they are in a registry.</summary>
    public OciLayout? Layout { get; }

    /// <summary>The registry repository holding the images, or null when they are in a layout.</summary>
    public ImageReference? Repository { get; }

    /// <summary>The guest image (<c>oci:DIR:TAG</c> or <c>docker://REF</c>).</summary>
    public string Guest { get; }

    /// <summary>False to let registries answer over plain HTTP or with an unverified certificate.</summary>
    public bool TlsVerify { get; }

    /// <summary>The images of the layout in <paramref name="folder"/>.</summary>
    public static ImageSources FromLayout(string folder, string guest, bool tlsVerify) =>
        new(OciLayout.Open(folder), null, GuestReference(guest), tlsVerify);

    /// <summary>The images of the registry repository <paramref name="repository"/> (REGISTRY/REPOSITORY, no tag).</summary>
    public static ImageSources FromRepository(string repository, string guest, bool tlsVerify) =>
        new(null, ImageReference.ParseRepository(repository, "--repository"), GuestReference(guest), tlsVerify);

    /// <summary>Where the images are, for the report.</summary>
    public string Description => Layout is not null ? $"oci:{Layout.Root}" : $"docker://{Repository!.Name}";

    /// <summary>The reference of the image tagged <paramref name="tag"/>; a tag a layout lacks fails the case.</summary>
    public string Image(string tag)
    {
        if (Layout is null)
        {
            return $"{RegistryPrefix}{Repository!.Name}:{tag}";
        }

        return Layout.FindTag(tag) is not null
            ? $"{BaseImage.LayoutPrefix}{Layout.Root}:{tag}"
            : throw new CaseFailedException(
                $"the layout {Layout.Root} has no tag '{tag}' (tags: {string.Join(", ", Layout.Tags().Select(t => t.Tag))})");
    }

    /// <summary>
    /// <paramref name="source"/> (a reference of these sources) as a tag of a local layout: a layout's own, or a registry
    /// image pulled with <see cref="RegistryClient"/> (credentials from QUS_REGISTRY_USERNAME and QUS_REGISTRY_PASSWORD
    /// when set), the <paramref name="platform"/> image only, into the layout in <paramref name="folder"/>.
    /// </summary>
    public async Task<string> LocalAsync(
        string source, OciPlatform platform, string folder, Reporter reporter, CancellationToken cancellationToken)
    {
        if (!source.StartsWith(RegistryPrefix, StringComparison.Ordinal))
        {
            return source;
        }

        // One pull at a time: each records its tag in the layout's index.json.
        await pulling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var credentials = RegistryCredentials.FromEnvironment();
            using var cache = await ImageCache.OpenAsync(folder, registry => new RegistryClient(
                registry, credentials, RegistryCredentials.VariablesNamed, reporter, tlsVerify: TlsVerify),
                reporter, cancellationToken).ConfigureAwait(false);
            var pulled = await cache.PullAsync(ImageReference.Parse(source[RegistryPrefix.Length..]), PullPolicy.Always, cancellationToken).ConfigureAwait(false);
            var image = await pulled.ForPlatformAsync(platform, cancellationToken).ConfigureAwait(false);
            // A tag name safe in oci:DIR:TAG, one per image and platform.
            var tag = "pulled-" + Sha256Hex.Of(Encoding.UTF8.GetBytes($"{source} {platform}"))[..16];
            await cache.Layout.TagAsync(image.Manifest, tag, cancellationToken).ConfigureAwait(false);
            return $"{BaseImage.LayoutPrefix}{folder}:{tag}";
        }
        catch (UserException ex)
        {
            throw new CaseFailedException($"{source} could not be pulled: {ex.Message}");
        }
        finally
        {
            pulling.Release();
        }
    }

    private static string GuestReference(string guest)
    {
        if (guest.StartsWith(BaseImage.LayoutPrefix, StringComparison.Ordinal))
        {
            // Checked now, so that a wrong folder or tag is a bad argument rather than a failed case.
            BaseImage.FromLayout(guest, "--guest-image");
            return guest;
        }

        return RegistryPrefix + ImageReference.Parse(guest, "--guest-image");
    }
}
