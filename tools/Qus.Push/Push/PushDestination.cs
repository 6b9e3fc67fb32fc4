using QemuUserStatic.Cli;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// Where <c>qus-push</c> copies a layout's tags: a registry repository (<c>REGISTRY/REPOSITORY</c>), or another OCI
/// layout on disk (<c>oci:DIR</c>) that collects the tags of every run the way a registry does, blobs shared.
/// </summary>
internal sealed record PushDestination
{
    /// <summary>The prefix of a layout destination.</summary>
    public const string LayoutPrefix = "oci:";

    private PushDestination(ImageReference? repository, string? layout)
    {
        Repository = repository;
        Layout = layout;
    }

    /// <summary>The registry repository; null for a layout.</summary>
    public ImageReference? Repository { get; }

    /// <summary>The layout folder (absolute); null for a registry.</summary>
    public string? Layout { get; }

    /// <summary>What the destination is called in messages: <c>REGISTRY/REPOSITORY</c> or <c>oci:DIR</c>.</summary>
    public string Name => Repository?.Name ?? LayoutPrefix + Layout;

    /// <summary>Parses <c>--to</c>: <c>oci:DIR</c>, or a repository without tag or digest.</summary>
    public static PushDestination Parse(string text, string what)
    {
        if (!text.StartsWith(LayoutPrefix, StringComparison.Ordinal))
        {
            return new PushDestination(ImageReference.ParseRepository(text, what), null);
        }

        var folder = text[LayoutPrefix.Length..];
        if (folder.Length == 0 || folder.Contains(':'))
        {
            throw new UserException($"{what}: '{text}': expected oci:DIR with a folder whose path holds no ':'");
        }

        return new PushDestination(null, Path.GetFullPath(folder));
    }

    /// <summary>The reference of one tag as people read it: <c>REGISTRY/REPOSITORY:TAG</c> or <c>oci:DIR:TAG</c>.</summary>
    public string Reference(string tag) => $"{Name}:{tag}";
}
