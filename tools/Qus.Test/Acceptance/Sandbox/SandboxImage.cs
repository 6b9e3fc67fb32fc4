using QemuUserStatic.Oci;

namespace QemuUserStatic.Acceptance.Sandbox;

/// <summary>An image of the sandbox: its file system unpacked into a folder, and its configuration (entrypoint, env).</summary>
/// <param name="Root">The folder the image's programs see as /.</param>
/// <param name="Config">The image's run-time defaults.</param>
internal sealed record SandboxImage(string Root, ContainerConfig? Config)
{
    /// <summary>Docker's PATH for images that set none.</summary>
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The command line docker run would start: entrypoint (or <paramref name="entrypoint"/>) and arguments (or the image's Cmd).</summary>
    public IReadOnlyList<string> Command(string? entrypoint, IReadOnlyList<string> arguments) =>
    [
        .. entrypoint is not null ? [entrypoint] : Config?.Entrypoint ?? [],
        .. arguments.Count > 0 || entrypoint is not null ? arguments : Config?.Cmd ?? [],
    ];

    /// <summary>The environment: the image's, with Docker's PATH when it sets none.</summary>
    public IReadOnlyList<string> Environment =>
        Config?.Env is { } env && env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)) ? env : [.. Config?.Env ?? [], DefaultPath];

    /// <summary>The working directory (/ when the image sets none).</summary>
    public string WorkingDirectory => string.IsNullOrEmpty(Config?.WorkingDir) ? "/" : Config.WorkingDir;
}
