namespace QemuUserStatic.Tarballs;

/// <summary>What <see cref="TarballsStep.RunAsync"/> reads and writes.</summary>
internal sealed record TarballsOptions
{
    /// <summary>RPMs, .debs or folders of emulators, in the order given.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The output folder (created when missing).</summary>
    public required string Output { get; init; }

    /// <summary>The host architecture to name the tarballs after, instead of the packages' own.</summary>
    public string? FromArch { get; init; }

    /// <summary>Only these targets (names, aliases or OCI platforms from the architecture table); null for all.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>mtime for every file, instead of the packages' build time (the SOURCE_DATE_EPOCH convention).</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>gzip level of the tarballs; 6 is gzip's default.</summary>
    public int CompressionLevel { get; init; } = 6;

    /// <summary>
    /// Take emulators (and binfmt.d files) no digest in their package vouches for, and RPMs whose header no digest
    /// covers; the manifest records it. Off by default: such input is refused.
    /// </summary>
    public bool AllowUnverified { get; init; }

    /// <summary>How many packages are read and how many tarballs compressed at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
