using QemuUserStatic.Manifests;

namespace QemuUserStatic.Releases;

/// <summary>
/// What publishing a folder to a release does, file by file, decided from what the release already holds.
/// The index files (<c>SHA256SUMS</c>, <c>manifest.json</c>) come last: a release that has them has everything they
/// list, so a later run may trust its <c>SHA256SUMS</c> where GitHub gives no digest.
/// </summary>
internal sealed class PublishPlan
{
    private PublishPlan(IReadOnlyList<PlannedAsset> assets, IReadOnlyList<PublishedAsset> others)
    {
        Assets = assets;
        Others = others;
    }

    /// <summary>Every file of the folder: the other files by name, then the index files.</summary>
    public IReadOnlyList<PlannedAsset> Assets { get; }

    /// <summary>Assets on the release that the folder does not have; they are left alone.</summary>
    public IReadOnlyList<PublishedAsset> Others { get; }

    /// <summary>The files that differ from the release and may not be replaced.</summary>
    public IReadOnlyList<PlannedAsset> Conflicts => [.. Assets.Where(a => a.Action == AssetAction.Conflict)];

    /// <summary>True for the files that describe the others and are uploaded last.</summary>
    public static bool IsIndex(string name) => name is Sha256Sums.FileName or ReleaseManifest.FileName;

    /// <summary>
    /// Plans <paramref name="files"/> against the <paramref name="existing"/> assets; <paramref name="knownSha256"/>
    /// gives the SHA-256 of existing assets by name where it is known (digest, the release's SHA256SUMS, or a download).
    /// </summary>
    public static PublishPlan Make(
        IReadOnlyList<AssetFile> files, IReadOnlyList<PublishedAsset> existing,
        IReadOnlyDictionary<string, string> knownSha256, bool replace)
    {
        var byName = existing.GroupBy(a => a.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var assets = files
            .OrderBy(f => IsIndex(f.Name))
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f =>
            {
                var asset = byName.GetValueOrDefault(f.Name);
                return Decide(f, asset, asset is null ? null : knownSha256.GetValueOrDefault(f.Name), replace);
            })
            .ToList();
        var names = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var others = existing.Where(a => !names.Contains(a.Name)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        return new PublishPlan(assets, others);
    }

    /// <summary>The action for one file given the asset of the same name (or none) and its SHA-256 (if known).</summary>
    public static PlannedAsset Decide(AssetFile file, PublishedAsset? existing, string? existingSha256, bool replace)
    {
        if (existing is null)
        {
            return new PlannedAsset(file, AssetAction.Upload, null, "not on the release");
        }

        if (!existing.IsUploaded)
        {
            return new PlannedAsset(file, AssetAction.Resume, existing, $"left in state '{existing.State}' by an interrupted upload");
        }

        string? difference = existing.Size != file.Size
            ? $"{existing.Size} bytes on the release, {file.Size} here"
            : existingSha256 is null
                ? "its sha256 on the release is unknown"
                : existingSha256 != file.Sha256
                    ? $"sha256 {Short(existingSha256)} on the release, {Short(file.Sha256)} here"
                    : null;
        if (difference is null)
        {
            return new PlannedAsset(file, AssetAction.Skip, existing, "same size and sha256");
        }

        return new PlannedAsset(file, replace ? AssetAction.Replace : AssetAction.Conflict, existing, difference);
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] + "…" : sha256;
}
