using QemuUserStatic.Architectures;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// What the cases run on: a Docker engine (<see cref="Docker.DockerEngine"/>) or a daemonless sandbox
/// (<see cref="Sandbox.SandboxEngine"/>). It fetches the images, runs containers, builds where it can, shows the
/// binfmt_misc table the containers register in, and puts that table back when the run ends.
/// </summary>
internal interface IContainerEngine : IAsyncDisposable
{
    /// <summary>The engine's name (docker, sandbox).</summary>
    string Name { get; }

    /// <summary>What the engine is and how it runs the registering containers, for the report.</summary>
    string Description { get; }

    /// <summary>Why the engine cannot build images, or null when it can.</summary>
    string? CannotBuild { get; }

    /// <summary>Why the engine cannot run a container as another user than root, or null when it can.</summary>
    string? CannotRunAsOtherUser { get; }

    /// <summary>Checks the engine answers and records the binfmt_misc table as it is before anything changes.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The qemu-user-static image tagged <paramref name="tag"/>, for this host's platform (fetched on first use).</summary>
    Task<EngineImage> ImageAsync(string tag, CancellationToken cancellationToken);

    /// <summary>The qemu-user-static image tagged <paramref name="tag"/> for <paramref name="platform"/> (another host's).</summary>
    Task<EngineImage> ImageAsync(string tag, OciPlatform platform, CancellationToken cancellationToken);

    /// <summary>The foreign guest image, for the target's platform (fetched on first use).</summary>
    Task<EngineImage> GuestAsync(CancellationToken cancellationToken);

    /// <summary>Runs a container and waits for it.</summary>
    Task<ProcessOutput> RunAsync(ContainerRun run, CancellationToken cancellationToken);

    /// <summary>Builds <paramref name="dockerfile"/> (no context, no network) into an image called <paramref name="name"/>.</summary>
    Task<(ProcessOutput Output, EngineImage Image)> BuildAsync(string name, string dockerfile, CancellationToken cancellationToken);

    /// <summary>An image made of <paramref name="baseImage"/> and what <paramref name="rootScript"/> (sh, as root) changes in it.</summary>
    Task<EngineImage> DeriveAsync(EngineImage baseImage, string name, string rootScript, CancellationToken cancellationToken);

    /// <summary>Copies the file (or folder) <paramref name="path"/> of an image to <paramref name="destination"/> on this machine.</summary>
    Task CopyFromImageAsync(EngineImage image, string path, string destination, CancellationToken cancellationToken);

    /// <summary>The text of binfmt_misc entry <paramref name="name"/> in the table the containers register in, or null.</summary>
    Task<string?> ReadBinfmtEntryAsync(string name, CancellationToken cancellationToken);

    /// <summary>Puts the binfmt_misc table back as <see cref="StartAsync"/> found it; returns what could not be.</summary>
    Task<IReadOnlyList<string>> RestoreAsync(CancellationToken cancellationToken);
}
