using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Step 0 of the pipeline: finds the packages of the pinned version for each host at the source, downloads them
/// through the cache, verifies them (source checksums, then the package verifiers), and only when every one passed
/// puts them into the output folder under their original names, with fetched.json last.
/// </summary>
internal sealed class Fetcher(IPackageRepository source, Downloader downloader, IPackageVerifier verifier, Reporter reporter)
{
    /// <summary>How many files download at once.</summary>
    public int Parallelism { get; init; } = 3;

    /// <summary>
    /// When the pinned version is gone (<see cref="PinnedVersionGoneException"/>), warn and fetch the newest available
    /// version instead of failing (a local run; a release never does this).
    /// </summary>
    public bool NewestIfGone { get; init; }

    /// <summary>The command that moves the pin, named when the pinned version is gone.</summary>
    public const string MovePinCommand = "qus-fetch --check --update";

    /// <summary>
    /// Fetches <paramref name="version"/> for <paramref name="hosts"/> into <paramref name="outputDirectory"/>; the list
    /// says the version actually fetched (the newest available one with <see cref="NewestIfGone"/>).
    /// </summary>
    public async Task<FetchedList> FetchAsync(
        PackageOrigin sourceKind, QemuVersion version, IReadOnlyList<string> hosts, string outputDirectory, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RepositoryPackage> packages;
        string[] paths;
        try
        {
            (packages, paths) = await DownloadAsync(version, hosts, cancellationToken).ConfigureAwait(false);
        }
        catch (PinnedVersionGoneException gone)
        {
            var newest = await NewestAsync(hosts, cancellationToken).ConfigureAwait(false);
            var line = $"{gone.Message}; newest available: {newest?.Full ?? "none for every host"}; move the pin with `{MovePinCommand}`";
            if (!NewestIfGone || newest is null)
            {
                throw new UserException(line);
            }

            reporter.Line("warning: " + line);
            reporter.Line($"fetching {newest} instead (--newest-if-gone)");
            version = newest;
            (packages, paths) = await DownloadAsync(version, hosts, cancellationToken).ConfigureAwait(false);
        }

        var files = new List<FetchedFile>();
        for (var i = 0; i < packages.Count; i++)
        {
            var package = packages[i];
            var checks = new List<string>();
            if (package.Remote.Size is not null)
            {
                checks.Add("size");
            }

            if (package.Remote.Sha256 is not null)
            {
                checks.Add("sha256");
            }

            checks.AddRange(await verifier.VerifyAsync(package, paths[i], cancellationToken).ConfigureAwait(false));
            var info = new FileInfo(paths[i]);
            var sha256 = package.Remote.Sha256 ?? await Sha256Hex.OfFileAsync(paths[i], cancellationToken).ConfigureAwait(false);
            files.Add(new FetchedFile(
                package.HostArch, package.Name, package.Version, package.Arch, package.Format.ToString().ToLowerInvariant(),
                package.Remote.FileName, info.Length, sha256, Downloader.Describe(package.Remote.Url), checks));
        }

        var list = new FetchedList(sourceKind.Name(), version.Full, files);
        Directory.CreateDirectory(outputDirectory);
        for (var i = 0; i < packages.Count; i++)
        {
            await AtomicFile.CopyAsync(paths[i], Path.Combine(outputDirectory, packages[i].Remote.FileName), cancellationToken).ConfigureAwait(false);
        }

        await list.WriteAsync(Path.Combine(outputDirectory, FetchedList.FileName), cancellationToken).ConfigureAwait(false);
        return list;
    }

    /// <summary>Resolves and downloads (verified against the source's checksums) the packages of a version.</summary>
    private async Task<(IReadOnlyList<RepositoryPackage> Packages, string[] Paths)> DownloadAsync(
        QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var packages = await ResolveAsync(version, hosts, cancellationToken).ConfigureAwait(false);
        var duplicate = packages.GroupBy(p => p.Remote.FileName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UserException($"{source.Description}: two packages share the file name {duplicate.Key}");
        }

        var paths = new string[packages.Count];
        using (reporter.Phase($"Downloading {packages.Count} package(s) of {version}"))
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, packages.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (i, ct) => paths[i] = await GetAsync(packages[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        return (packages, paths);
    }

    /// <summary>One download; a locked file the snapshot archive cannot give (but not one with other bytes) means the pin is gone.</summary>
    private async Task<string> GetAsync(RepositoryPackage package, CancellationToken cancellationToken)
    {
        try
        {
            return await downloader.GetAsync(package.Remote, cancellationToken).ConfigureAwait(false);
        }
        catch (DownloadMismatchException ex)
        {
            // Other bytes are refused as they are, wherever they came from: the plain one-line user error.
            throw new UserException(ex.Message);
        }
        catch (UserException ex) when (package.FromSnapshot)
        {
            throw new PinnedVersionGoneException(
                $"{source.Description}: {package.Name} {package.Version} for {package.Arch} is no longer listed and the snapshot archive failed: {ex.Message}");
        }
    }

    private async Task<QemuVersion?> NewestAsync(IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        try
        {
            return (await source.LatestStableAsync(hosts, cancellationToken).ConfigureAwait(false)).Common;
        }
        catch (UserException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<RepositoryPackage>> ResolveAsync(QemuVersion version, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var memo = new ResolutionMemo(downloader.Cache);
        if (memo.Find(source.Identity, version.Full, hosts) is { Count: > 0 } remembered)
        {
            return remembered;
        }

        using (reporter.Phase($"Looking up {version} for {string.Join(", ", hosts)} at {source.Description}"))
        {
            var packages = await source.ResolveAsync(version, hosts, cancellationToken).ConfigureAwait(false);
            await memo.SaveAsync(source.Identity, version.Full, hosts, packages, cancellationToken).ConfigureAwait(false);
            return packages;
        }
    }
}
