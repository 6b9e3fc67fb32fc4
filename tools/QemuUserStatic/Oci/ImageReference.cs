using System.Net;
using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>
/// A registry image reference, <c>[registry/]repository[:tag][@digest]</c>, normalised as Docker does:
/// no registry means docker.io, and a one-part Docker Hub name means <c>library/NAME</c>.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>Docker Hub's name in references.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The tag or digest to ask the registry for (<c>latest</c> when neither was given).</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>
    /// The base address of the registry's API: Docker Hub's API host for docker.io, plain HTTP for loopback
    /// registries (as Docker treats 127.0.0.0/8 as insecure), HTTPS otherwise.
    /// </summary>
    public Uri ApiBase => RegistryApiBase(Registry);

    /// <summary>The repository without a tag: <c>docker.io/library/busybox</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses a reference; a malformed one is a user error naming <paramref name="what"/>.</summary>
    public static ImageReference Parse(string text, string what = "image reference")
    {
        var match = ReferencePattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new UserException($"{what}: '{text}' is not an image reference ([registry/]repository[:tag][@sha256:digest])");
        }

        var path = match.Groups["path"].Value;
        var slash = path.IndexOf('/');
        var first = slash < 0 ? "" : path[..slash];
        var hasRegistry = first.Contains('.') || first.Contains(':') || first == "localhost";
        var registry = hasRegistry ? first : DockerHub;
        var repository = hasRegistry ? path[(slash + 1)..] : path;
        if (registry is DockerHub or "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
            repository = repository.Contains('/') ? repository : "library/" + repository;
        }

        if (!RepositoryPattern().IsMatch(repository))
        {
            throw new UserException($"{what}: '{repository}' is not a valid repository name (lower-case letters, digits, '.', '_', '-', '/')");
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        return new ImageReference(registry, repository, tag, digest);
    }

    /// <summary>Parses a repository without tag or digest (a push destination).</summary>
    public static ImageReference ParseRepository(string text, string what)
    {
        var reference = Parse(text, what);
        if (reference.Tag is not null || reference.Digest is not null)
        {
            throw new UserException($"{what}: '{text}' names a tag or digest; give the repository only (REGISTRY/REPOSITORY)");
        }

        return reference;
    }

    /// <summary>True for a registry on this machine (localhost, 127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']')] : registry.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The API base of <paramref name="registry"/> (see <see cref="ApiBase"/>).</summary>
    public static Uri RegistryApiBase(string registry) =>
        registry == DockerHub ? new Uri("https://registry-1.docker.io/")
        : new Uri($"{(IsLoopback(registry) ? "http" : "https")}://{registry}/");

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null && Digest is null ? ":latest" : "") + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex(@"^(?<path>[a-zA-Z0-9][a-zA-Z0-9._:\-/\[\]]*?)(?::(?<tag>[\w][\w.\-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
