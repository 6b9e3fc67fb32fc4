using QemuUserStatic.Architectures;

namespace QemuUserStatic.Configuration;

/// <summary>
/// What the pipeline builds, read from <c>qus.yml</c> at the repository root (schema: tools/Qus.Fetch/README.md).
/// Every tool takes its defaults from here and lets its options override them; without a file the built-in
/// defaults below apply. <c>var config = PipelineConfig.Load(configOptionValue);</c>
/// </summary>
public sealed record PipelineConfig
{
    /// <summary>The file name looked for upward from the current folder.</summary>
    public const string FileName = "qus.yml";

    /// <summary>The environment variable naming the file when <c>--config</c> is not given.</summary>
    public const string EnvironmentVariable = "QUS_CONFIG";

    /// <summary>The built-in configuration (no file): Debian, hosts x86_64 and aarch64, every target, no pinned version.</summary>
    public static PipelineConfig Default { get; } = new();

    /// <summary>The file this configuration was read from; null for the built-in defaults.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Where the emulators come from.</summary>
    public PackageOrigin Origin { get; init; } = PackageOrigin.Debian;

    /// <summary>The pinned QEMU package version; null when none is configured.</summary>
    public QemuVersion? Qemu { get; init; }

    /// <summary>Host architectures the pipeline builds emulators for (canonical names from <see cref="ArchitectureTable"/>).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["x86_64", "aarch64"];

    /// <summary>Targets to publish; null means every target of <see cref="ArchitectureTable"/>.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>The Debian archive (when <see cref="Origin"/> is Debian).</summary>
    public DebianRepositoryConfig Debian { get; init; } = new();

    /// <summary>The Koji instance Fedora's packages come from (when <see cref="Origin"/> is Fedora; qus.yml's <c>fedora:</c>).</summary>
    public KojiRepositoryConfig Koji { get; init; } = new();

    /// <summary>The container image repository (e.g. ghcr.io/OWNER/qemu-user-static); null when not configured.</summary>
    public string? ImageRepository { get; init; }

    /// <summary>The GitHub repository releases go to (OWNER/NAME); null when not configured.</summary>
    public string? GitHubRepository { get; init; }

    /// <summary>How a QEMU version becomes a release tag.</summary>
    public ReleaseTagTemplate ReleaseTag { get; init; } = ReleaseTagTemplate.Default;

    /// <summary>The configured targets resolved against the table (every target when none are listed).</summary>
    public IReadOnlyList<TargetArch> TargetArches =>
        Targets is null ? ArchitectureTable.All : Targets.Select(t => ArchitectureTable.Get(t)).ToList();

    /// <summary>
    /// Loads the configuration the usual way: <paramref name="path"/> (a tool's <c>--config</c>), else
    /// <c>$QUS_CONFIG</c>, else <c>qus.yml</c> found upward from the current folder, else the built-in defaults.
    /// Errors are <see cref="Cli.UserException"/>s naming the file and line.
    /// </summary>
    public static PipelineConfig Load(string? path = null) =>
        PipelineConfigLoader.Discover(path, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.CurrentDirectory)
            is { } file
            ? PipelineConfigLoader.LoadFile(file)
            : Default;
}
