using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Releases;

/// <summary>
/// Publishes qus-tarballs folders (see <see cref="ReleaseAssets"/>) as a release on disk, <c>FOLDER/TAG/</c>: the assets and the release notes
/// (<see cref="NotesFileName"/>), by the same plan as a GitHub release — identical files are skipped, different ones
/// refused without replace, nothing written twice. The release folder appears or changes whole
/// (<see cref="StagedOutput.ReplacingFolder"/>): built beside its place, the files it keeps hard-linked rather than
/// copied, and swapped in at the end, so a run killed at any moment leaves the previous folder (or none).
/// </summary>
/// <param name="releases">The folder holding one folder per release tag.</param>
/// <param name="reporter">Progress and log lines (stderr).</param>
/// <param name="output">Results a script may read (stdout): the release folder, and the plan of a dry run.</param>
internal sealed class FolderReleasePublisher(string releases, Reporter reporter, TextWriter output)
{
    /// <summary>The release notes (what a GitHub release has as its body), written when the release is created.</summary>
    public const string NotesFileName = "RELEASE.md";

    /// <summary>Plans and, unless it is a dry run, carries out the publication.</summary>
    public async Task<PublishResult> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        using var assets = await request.LoadAssetsAsync(cancellationToken).ConfigureAwait(false);
        var tag = request.TagFor(assets.Manifest);
        if (!ReleaseTagTemplate.IsValidTagName(tag) || tag.Contains('/'))
        {
            throw new UserException($"--tag '{tag}': not a tag name that can be a folder (no '/', and what git accepts)", ExitCodes.Usage);
        }

        var release = Path.Combine(Path.GetFullPath(releases), tag);
        var exists = Directory.Exists(release);
        PublishPlan plan;
        using (reporter.Phase($"plan release {tag} in {releases}"))
        {
            var existing = exists ? await ExistingAsync(release, assets.Files, request.DryRun, cancellationToken).ConfigureAwait(false) : [];
            plan = PublishPlan.Make(assets.Files, existing, existing.Where(a => a.DigestSha256 is not null).ToDictionary(a => a.Name, a => a.DigestSha256!), request.Replace);
            reporter.Line(exists ? $"release {tag}: {release}, {existing.Count} assets" : $"release {tag}: not found, {(request.DryRun ? "would create" : "creating")} {release}");
            PublishReport.LogPlan(reporter, plan);
        }

        if (request.DryRun)
        {
            PublishReport.PrintDryRun(output, exists ? $"release {tag}: {release}" : $"would create release {tag} in {releases}", plan);
        }

        PublishReport.ThrowOnConflicts(plan, tag);
        if (!request.DryRun && (!exists || plan.Assets.Any(a => a.Changes)))
        {
            Write(assets, plan, release, exists, cancellationToken);
        }

        var result = new PublishResult(request.DryRun && !exists ? null : release, null, tag, plan.Assets) { DryRun = request.DryRun };
        if (!request.DryRun)
        {
            PublishReport.Write(result, reporter, output);
        }

        return result;
    }

    // The files of an existing release folder as assets; the SHA-256 only of those that could be equal (same size).
    private async Task<IReadOnlyList<PublishedAsset>> ExistingAsync(
        string release, IReadOnlyList<AssetFile> files, bool dryRun, CancellationToken cancellationToken)
    {
        var sizes = files.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
        var assets = new List<PublishedAsset>();
        foreach (var file in new DirectoryInfo(release).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.Name.StartsWith('.') && file.Name.Contains(".tmp-", StringComparison.Ordinal))
            {
                // A copy an interrupted run left under its temporary name: never an asset.
                reporter.Line($"{(dryRun ? "would remove" : "removing")} {file.Name}, left by an interrupted run");
                if (!dryRun)
                {
                    file.Delete();
                }

                continue;
            }

            if (file.Name == NotesFileName)
            {
                continue;
            }

            var sameSize = sizes.GetValueOrDefault(file.Name, -1) == file.Length;
            assets.Add(new PublishedAsset
            {
                Name = file.Name,
                State = PublishedAsset.Uploaded,
                Size = file.Length,
                Digest = sameSize ? "sha256:" + await Sha256Hex.OfFileAsync(file.FullName, cancellationToken).ConfigureAwait(false) : null,
                BrowserDownloadUrl = new Uri(file.FullName).AbsoluteUri,
            });
        }

        return assets;
    }

    // A new release gets its notes; an existing one keeps its files (notes included) but those replaced.
    private void Write(ReleaseAssets assets, PublishPlan plan, string release, bool exists, CancellationToken cancellationToken)
    {
        using var staged = StagedOutput.ReplacingFolder(release);
        if (exists)
        {
            Keep(release, staged, plan.Assets.Where(a => a.Changes).Select(a => a.File.Name).ToHashSet(StringComparer.Ordinal));
        }
        else
        {
            File.WriteAllText(staged.PathOf(NotesFileName), ReleaseNotes.Render(assets));
        }

        // The other files first, the index files (SHA256SUMS, manifest.json) last, as on GitHub.
        foreach (var item in plan.Assets.Where(a => a.Changes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            File.Copy(item.File.Path, staged.PathOf(item.File.Name)); // with the source's mode
            reporter.Line($"{(item.Action == AssetAction.Replace ? "replaced" : "copied")} {item.File.Name} ({ByteSize.Format(item.File.Size)})");
        }

        cancellationToken.ThrowIfCancellationRequested();
        staged.Commit();
    }

    // Hard links cost no copy and leave the files in the folder being replaced untouched; a copy where links fail.
    private static void Keep(string release, StagedOutput staged, HashSet<string> replaced)
    {
        foreach (var entry in new DirectoryInfo(release).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                throw new UserException($"{entry.FullName}: a folder inside the release folder; it holds only files, and nothing was changed");
            }

            if (!replaced.Contains(entry.Name) && PosixCalls.HardLink(entry.FullName, staged.PathOf(entry.Name)) != 0)
            {
                File.Copy(entry.FullName, staged.PathOf(entry.Name));
            }
        }
    }
}
