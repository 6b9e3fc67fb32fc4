namespace QemuUserStatic.Releases;

/// <summary>What to publish where: the options of <c>qus-publish</c>.</summary>
internal sealed record PublishRequest
{
    /// <summary>The qus-tarballs output folders, one per host architecture (see <see cref="ReleaseAssets"/>).</summary>
    public required IReadOnlyList<string> AssetsFolders { get; init; }

    /// <summary>The host whose folder gives the plain file names and manifest.json; null for the first of <see cref="HostOrder"/>.</summary>
    public string? MainHost { get; init; }

    /// <summary>The configured host architectures in order (qus.yml's hosts): the first one there is the main host.</summary>
    public IReadOnlyList<string> HostOrder { get; init; } = [];

    /// <summary>Native qus-register executables (qus-register-linux-RID) the release carries too.</summary>
    public IReadOnlyList<string> NativeTools { get; init; } = [];

    /// <summary>Reads and checks the folders and native tools.</summary>
    public Task<ReleaseAssets> LoadAssetsAsync(CancellationToken cancellationToken) =>
        ReleaseAssets.LoadAsync(AssetsFolders, MainHost, HostOrder, NativeTools, cancellationToken);

    /// <summary>The repository the release belongs to (null when publishing to a folder).</summary>
    public GitHubRepository? Repository { get; init; }

    /// <summary>The release tag; null for <c>v</c> + the manifest's tag version.</summary>
    public string? Tag { get; init; }

    /// <summary>How the tag is made from the manifest when <see cref="Tag"/> is not given (github.tag in qus.yml).</summary>
    public Configuration.ReleaseTagTemplate TagTemplate { get; init; } = Configuration.ReleaseTagTemplate.Default;

    /// <summary>The release tag for the folder's <paramref name="manifest"/>: <see cref="Tag"/>, else the template's.</summary>
    public string TagFor(Manifests.ReleaseManifest manifest) => Tag ?? TagTemplate.Render(manifest);

    /// <summary>The release title; null for the tag.</summary>
    public string? Name { get; init; }

    /// <summary>Create the release as a draft.</summary>
    public bool Draft { get; init; }

    /// <summary>Mark a created release as a pre-release.</summary>
    public bool Prerelease { get; init; }

    /// <summary>The commit-ish the tag is created from when it does not exist yet; null for the default branch.</summary>
    public string? Target { get; init; }

    /// <summary>Replace assets whose bytes differ instead of failing.</summary>
    public bool Replace { get; init; }

    /// <summary>Only say what would be done.</summary>
    public bool DryRun { get; init; }

    /// <summary>Uploads running at the same time.</summary>
    public int Parallel { get; init; } = 4;
}
