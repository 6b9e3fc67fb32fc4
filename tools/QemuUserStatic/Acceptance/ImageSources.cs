using QemuUserStatic.Architectures;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// Where the images under test and the guest come from, as skopeo transport references: the tags of an OCI layout
/// from qus-images (<c>oci:DIR:TAG</c>) or of a registry repository (<c>docker://REPO:TAG</c>), and the guest as a
/// registry reference or <c>oci:DIR:TAG</c>.
/// </summary>
public sealed record ImageSources
{
    private ImageSources(OciLayout? layout, ImageReference? repository, string guest, bool tlsVerify)
    {
        Layout = layout;
        Repository = repository;
        Guest = guest;
        TlsVerify = tlsVerify;
    }

    /// <summary>The layout holding the images, or null when they are in a registry.</summary>
    public OciLayout? Layout { get; }

    /// <summary>The registry repository holding the images, or null when they are in a layout.</summary>
    public ImageReference? Repository { get; }

    /// <summary>The guest image as skopeo names it (<c>oci:DIR:TAG</c> or <c>docker://REF</c>).</summary>
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

    /// <summary>The skopeo reference of the image tagged <paramref name="tag"/>; a tag a layout lacks fails the case.</summary>
    public string Image(string tag)
    {
        if (Layout is null)
        {
            return $"docker://{Repository!.Name}:{tag}";
        }

        return Layout.FindTag(tag) is not null
            ? $"{BaseImage.LayoutPrefix}{Layout.Root}:{tag}"
            : throw new CaseFailedException(
                $"the layout {Layout.Root} has no tag '{tag}' (tags: {string.Join(", ", Layout.Tags().Select(t => t.Tag))})");
    }

    /// <summary>
    /// Copies the image <paramref name="source"/> (a reference of these sources) to <paramref name="destination"/> with
    /// skopeo; from an index, the image for <paramref name="platform"/> (null: this host's).
    /// </summary>
    public Task<ProcessOutput> CopyAsync(string source, string destination, OciPlatform? platform, CancellationToken cancellationToken)
    {
        List<string> arguments = ["copy", "--quiet"];
        if (!TlsVerify && source.StartsWith("docker://", StringComparison.Ordinal))
        {
            arguments.Add("--src-tls-verify=false");
        }

        if (platform is not null)
        {
            arguments.AddRange(["--override-os", platform.Os, "--override-arch", platform.Architecture]);
            if (platform.Variant is { } variant)
            {
                arguments.AddRange(["--override-variant", variant]);
            }
        }

        return ExternalCommand.RunAsync("skopeo", [.. arguments, source, destination], installHint: "apt-get install skopeo", cancellationToken: cancellationToken);
    }

    private static string GuestReference(string guest)
    {
        if (guest.StartsWith(BaseImage.LayoutPrefix, StringComparison.Ordinal))
        {
            // Checked now, so that a wrong folder or tag is a bad argument rather than a failed case.
            BaseImage.FromLayout(guest, "--guest-image");
            return guest;
        }

        return "docker://" + ImageReference.Parse(guest, "--guest-image");
    }
}
