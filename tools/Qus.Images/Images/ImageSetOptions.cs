namespace QemuUserStatic.Images;

/// <summary>How an image set is named and labelled.</summary>
internal sealed record ImageSetOptions
{
    /// <summary>The <c>VERSION</c> in tags and labels; null takes the inputs' tagVersion (which must agree).</summary>
    public string? TagVersion { get; init; }

    /// <summary>The repository the images will be pushed to; names each entry of index.json (<c>io.containerd.image.name</c>).</summary>
    public string? Repository { get; init; }

    /// <summary>The <c>org.opencontainers.image.source</c> label (URL of the source repository), or null for none.</summary>
    public string? Source { get; init; }

    /// <summary>The <c>org.opencontainers.image.revision</c> label (commit), or null for none.</summary>
    public string? Revision { get; init; }

    /// <summary>Seconds since the epoch for every timestamp; null takes each input's sourceDateEpoch.</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>How many layers are compressed at the same time.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The defaults a CI run gives: <c>SOURCE_DATE_EPOCH</c> for timestamps, and in GitHub Actions the repository URL
    /// (<c>GITHUB_SERVER_URL/GITHUB_REPOSITORY</c>) as source and <c>GITHUB_SHA</c> as revision.
    /// </summary>
    public static ImageSetOptions FromEnvironment()
    {
        static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var epoch = Common.SourceDateEpoch.FromEnvironment();
        var source = Variable("GITHUB_SERVER_URL") is { } server && Variable("GITHUB_REPOSITORY") is { } repository
            ? $"{server.TrimEnd('/')}/{repository}"
            : null;
        return new ImageSetOptions { SourceDateEpoch = epoch, Source = source, Revision = Variable("GITHUB_SHA") };
    }
}
