using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Releases;

/// <summary>
/// Publishes qus-tarballs folders (see <see cref="ReleaseAssets"/>) as a release on disk, <c>FOLDER/TAG/</c>: the assets and the release notes
/// (<see cref="NotesFileName"/>), by the same plan as a GitHub release — identical files are skipped, different ones
/// refused without replace, nothing written twice. A new release folder appears whole (built beside it, then
/// renamed); files added to an existing one are each copied to a temporary name and renamed.
/// </summary>
/// <param name="releases">The folder holding one folder per release tag.</param>
/// <param name="reporter">Progress and log lines (stderr).</param>
/// <param name="output">Results a script may read (stdout): the release folder, and the plan of a dry run.</param>
public sealed class FolderReleasePublisher(string releases, Reporter reporter, TextWriter output)
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
        if (!request.DryRun)
        {
            if (exists)
            {
                await CopyAsync(plan, release, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CreateAsync(assets, plan, release, cancellationToken).ConfigureAwait(false);
            }
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

    private async Task CreateAsync(ReleaseAssets assets, PublishPlan plan, string release, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(release)!);
        var staging = AtomicFile.TempName(release);
        Directory.CreateDirectory(staging);
        try
        {
            await AtomicFile.WriteAllTextAsync(Path.Combine(staging, NotesFileName), ReleaseNotes.Render(assets), cancellationToken).ConfigureAwait(false);
            await CopyAsync(plan, staging, cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, release);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // The other files first, the index files (SHA256SUMS, manifest.json) last, as on GitHub.
    private async Task CopyAsync(PublishPlan plan, string release, CancellationToken cancellationToken)
    {
        foreach (var item in plan.Assets.Where(a => a.Changes))
        {
            await AtomicFile.CopyAsync(item.File.Path, Path.Combine(release, item.File.Name), cancellationToken).ConfigureAwait(false);
            reporter.Line($"{(item.Action == AssetAction.Replace ? "replaced" : "copied")} {item.File.Name} ({ByteSize.Format(item.File.Size)})");
        }
    }
}
