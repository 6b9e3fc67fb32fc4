namespace QemuUserStatic.Acceptance;

/// <summary>What <c>docker run --rm IMAGE ARGUMENTS</c> runs, with the few run options the cases need.</summary>
/// <param name="Image">The image.</param>
/// <param name="Arguments">The command (or the entrypoint's arguments), as after the image in docker run.</param>
internal sealed record ContainerRun(EngineImage Image, IReadOnlyList<string> Arguments)
{
    /// <summary>True for the registering containers: they need to write the kernel's binfmt_misc (--privileged).</summary>
    public bool Privileged { get; init; }

    /// <summary>A program to run instead of the image's entrypoint (<c>--entrypoint</c>), or null.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>The user to run as (<c>UID:GID</c>), or null for the image's.</summary>
    public string? User { get; init; }

    /// <summary>Host files bound into the container (<c>-v HOST:CONTAINER</c>).</summary>
    public IReadOnlyList<(string HostPath, string ContainerPath)> Mounts { get; init; } = [];
}
