using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Octokit;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Releases;

/// <summary>
/// Publishes qus-tarballs folders (see <see cref="ReleaseAssets"/>) as a GitHub release, idempotently: it plans against what the release already
/// holds, uploads only what is missing or half-done (or differs, with replace), and a re-run after any interruption
/// finishes the job without uploading anything twice.
/// </summary>
/// <param name="releases">The GitHub calls.</param>
/// <param name="reporter">Progress and log lines (stderr).</param>
/// <param name="output">Results a script may read (stdout): the release URL, and the plan of a dry run.</param>
internal sealed class GitHubReleasePublisher(GitHubReleases releases, Reporter reporter, TextWriter output)
{
    /// <summary>How often one file is cleared (a half-done asset deleted) and uploaded again before giving up.</summary>
    public const int UploadRounds = 3;

    /// <summary>Plans and, unless it is a dry run, carries out the publication.</summary>
    public async Task<PublishResult> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        using var assets = await request.LoadAssetsAsync(cancellationToken).ConfigureAwait(false);
        var tag = request.TagFor(assets.Manifest);

        Release? release;
        PublishPlan plan;
        using (reporter.Phase($"plan release {tag} of {releases.Repository}"))
        {
            release = await releases.FindAsync(tag).ConfigureAwait(false);
            var existing = release is null ? [] : await releases.ListAssetsAsync(release.Id).ConfigureAwait(false);
            var known = await KnownSha256Async(assets.Files, existing, cancellationToken).ConfigureAwait(false);
            plan = PublishPlan.Make(assets.Files, existing, known, request.Replace);
            reporter.Line(release is null
                ? $"release {tag}: not found, {(request.DryRun ? "would create" : "creating")} it{(request.Draft ? " as a draft" : "")}"
                : $"release {tag}: {release.HtmlUrl}{(release.Draft ? " (draft)" : "")}, {existing.Count} assets");
            PublishReport.LogPlan(reporter, plan);
        }

        if (request.DryRun)
        {
            PublishReport.PrintDryRun(output, release is null
                ? $"would create release {tag} in {releases.Repository}{(request.Draft ? " (draft)" : "")}{(request.Prerelease ? " (pre-release)" : "")}"
                : $"release {tag}: {release.HtmlUrl}", plan);
        }

        PublishReport.ThrowOnConflicts(plan, tag);

        if (request.DryRun)
        {
            return new PublishResult(release?.HtmlUrl, release?.Id, tag, plan.Assets) { DryRun = true };
        }

        release ??= await releases.CreateAsync(new NewRelease(tag)
        {
            Name = request.Name ?? tag,
            Body = ReleaseNotes.Render(assets),
            Draft = request.Draft,
            Prerelease = request.Prerelease,
            TargetCommitish = request.Target,
        }).ConfigureAwait(false);

        if (plan.Assets.Any(a => a.Changes))
        {
            using (reporter.Phase($"upload to {release.HtmlUrl}"))
            {
                // The index files go only after every other file is there (see PublishPlan).
                await CarryOutAsync(release, plan.Assets.Where(a => !PublishPlan.IsIndex(a.File.Name)), request, cancellationToken).ConfigureAwait(false);
                await CarryOutAsync(release, plan.Assets.Where(a => PublishPlan.IsIndex(a.File.Name)), request, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new PublishResult(release.HtmlUrl, release.Id, tag, plan.Assets);
        PublishReport.Write(result, reporter, output);
        return result;
    }

    /// <summary>
    /// The SHA-256 of each existing asset that has the size of the file it would be: GitHub's digest, else the
    /// release's own SHA256SUMS, else the asset's bytes downloaded and hashed.
    /// </summary>
    private async Task<Dictionary<string, string>> KnownSha256Async(
        IReadOnlyList<AssetFile> files, IReadOnlyList<PublishedAsset> existing, CancellationToken cancellationToken)
    {
        var sizes = files.ToDictionary(f => f.Name, f => f.Size, StringComparer.Ordinal);
        var candidates = existing.Where(a => a.IsUploaded && sizes.GetValueOrDefault(a.Name, -1) == a.Size).ToList();
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in candidates.Where(a => a.DigestSha256 is not null))
        {
            known[asset.Name] = asset.DigestSha256!;
        }

        var unknown = candidates.Where(a => !known.ContainsKey(a.Name)).ToList();
        var remoteSums = existing.FirstOrDefault(a => a.Name == Sha256Sums.FileName && a.IsUploaded);
        if (unknown.Count > 0 && remoteSums is not null)
        {
            reporter.Line($"no digest from GitHub for {unknown.Count} assets: reading the release's {Sha256Sums.FileName}");
            await using var stream = await releases.OpenAsync(remoteSums).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sums = Sha256Sums.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false), $"{Sha256Sums.FileName} on the release");
            foreach (var asset in unknown.Where(a => sums.Entries.ContainsKey(a.Name)))
            {
                known[asset.Name] = sums.Entries[asset.Name];
            }
        }

        foreach (var asset in unknown.Where(a => !known.ContainsKey(a.Name)))
        {
            reporter.Line($"no digest from GitHub for {asset.Name}: downloading it to compare");
            known[asset.Name] = await releases.HashAsync(asset, cancellationToken).ConfigureAwait(false);
        }

        return known;
    }

    private async Task CarryOutAsync(Release release, IEnumerable<PlannedAsset> items, PublishRequest request, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<UserException>();
        await System.Threading.Tasks.Parallel.ForEachAsync(
            items.Where(i => i.Changes),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Parallel), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    await PutAsync(release, item, request.Replace, ct).ConfigureAwait(false);
                }
                catch (UserException ex)
                {
                    // Let the other uploads finish: a re-run then has less to do.
                    reporter.Line($"failed {item.File.Name}: {ex.Message}");
                    failures.Enqueue(ex);
                }
            }).ConfigureAwait(false);

        if (failures.TryPeek(out var first))
        {
            var more = failures.Count > 1 ? $" (and {failures.Count - 1} more failed uploads)" : "";
            throw new UserException($"{first.Message}{more}; run again to finish: done uploads are kept and skipped");
        }
    }

    /// <summary>Uploads one file, clearing what an earlier or a lost attempt left under its name.</summary>
    private async Task PutAsync(Release release, PlannedAsset item, bool replace, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (item.Existing is { } old && item.Action is AssetAction.Resume or AssetAction.Replace)
        {
            await releases.DeleteAssetAsync(old).ConfigureAwait(false);
        }

        for (var round = 1; ; round++)
        {
            try
            {
                var uploaded = await releases.UploadAsync(release, item.File, cancellationToken).ConfigureAwait(false);
                Verify(item.File, uploaded);
                break;
            }
            catch (AssetExistsException) when (round < UploadRounds)
            {
                // An attempt whose answer was lost either completed or left a half-done asset: look at which.
                var current = (await releases.ListAssetsAsync(release.Id).ConfigureAwait(false)).FirstOrDefault(a => a.Name == item.File.Name);
                if (current is null)
                {
                    continue;
                }

                var sha256 = current.IsUploaded && current.Size == item.File.Size
                    ? current.DigestSha256 ?? await releases.HashAsync(current, cancellationToken).ConfigureAwait(false)
                    : null;
                var now = PublishPlan.Decide(item.File, current, sha256, replace);
                if (now.Action == AssetAction.Skip)
                {
                    break;
                }

                if (now.Action == AssetAction.Conflict)
                {
                    throw new UserException($"{item.File.Name}: another upload put different bytes on the release meanwhile ({now.Reason})");
                }

                reporter.Line($"{item.File.Name}: clearing the asset left {(current.IsUploaded ? "with other bytes" : $"in state '{current.State}'")}, uploading again");
                await releases.DeleteAssetAsync(current).ConfigureAwait(false);
            }
            catch (AssetExistsException ex)
            {
                throw new UserException($"upload {item.File.Name}: {ex.Message} and clearing it {UploadRounds} times did not help");
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        reporter.Line(string.Create(CultureInfo.InvariantCulture, $"uploaded {item.File.Name} ({ByteSize.Format(item.File.Size)}, {seconds:0.0} s)"));
    }

    private static void Verify(AssetFile file, PublishedAsset uploaded)
    {
        if (uploaded.Size != file.Size || (uploaded.DigestSha256 is { } sha256 && sha256 != file.Sha256))
        {
            throw new UserException(
                $"upload {file.Name}: GitHub stored {uploaded.Size} bytes with {uploaded.Digest ?? "no digest"}, sent {file.Size} bytes with sha256:{file.Sha256}");
        }
    }
}
