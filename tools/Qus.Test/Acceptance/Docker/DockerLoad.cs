using QemuUserStatic.Architectures;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Acceptance.Docker;

/// <summary>
/// Loads layout images into the Docker engine with our own OCI code: the image is written as a
/// <see cref="DockerArchive"/> straight into <c>docker load</c>'s stdin (no temporary file, no second tool), so the
/// engine's image ID is the layout's config digest.
/// </summary>
internal static class DockerLoad
{
    /// <summary>What to say when the docker CLI is missing.</summary>
    public const string DockerHint = "install Docker: apt-get install docker.io";

    /// <summary>
    /// Loads the image of <paramref name="source"/> (<c>oci:DIR:TAG</c>) for <paramref name="platform"/> (from an
    /// index, that platform's manifest) as <paramref name="name"/> (<c>REPOSITORY:TAG</c>); a layout that lacks it or
    /// holds it for another platform is a <see cref="Cli.UserException"/> before docker starts.
    /// </summary>
    public static async Task<(ProcessOutput Output, DockerArchive Archive)> LayoutImageAsync(
        string source, string name, OciPlatform platform, CancellationToken cancellationToken)
    {
        var image = await BaseImage.FromLayout(source, "image", "image").ForPlatformAsync(platform, cancellationToken).ConfigureAwait(false);
        var archive = DockerArchive.Of(image, [name]);
        var output = await ExternalCommand.RunAsync(
            "docker", ["load", "--quiet"], installHint: DockerHint, cancellationToken: cancellationToken, writeStandardInput: archive.WriteAsync).ConfigureAwait(false);
        return (output, archive);
    }
}
