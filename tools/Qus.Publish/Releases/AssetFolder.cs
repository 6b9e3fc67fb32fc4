using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;

namespace QemuUserStatic.Releases;

/// <summary>
/// A <c>qus-tarballs</c> output folder checked before anything is published: exactly the files its
/// <c>manifest.json</c> lists plus <c>SHA256SUMS</c>, <c>manifest.json</c> and (where written) <c>sbom.spdx.json</c>, each with the size and SHA-256 that
/// both of them state.
/// </summary>
internal sealed class AssetFolder
{
    private AssetFolder(string path, ReleaseManifest manifest, IReadOnlyList<AssetFile> files)
    {
        Path = path;
        Manifest = manifest;
        Files = files;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Its manifest.</summary>
    public ReleaseManifest Manifest { get; }

    /// <summary>Every file, sorted by name.</summary>
    public IReadOnlyList<AssetFile> Files { get; }

    /// <summary>Reads, hashes and cross-checks the folder; every problem is a one-line error naming the file.</summary>
    public static async Task<AssetFolder> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new UserException($"{folder}: no such folder", ExitCodes.Usage);
        }

        var manifest = ReleaseManifest.Load(folder);
        var listed = manifest.Targets
            .SelectMany(t => t.Tarballs.Prepend(t.Binary))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
        var expected = listed.Keys.Append(Sha256Sums.FileName).Append(ReleaseManifest.FileName).ToHashSet(StringComparer.Ordinal);
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        // Folders written before the SBOM have none; where there is one, SHA256SUMS must vouch for it (checked below).
        if (entries.Any(e => e.Name == SpdxDocument.FileName))
        {
            expected.Add(SpdxDocument.FileName);
        }

        foreach (var entry in entries)
        {
            if (!expected.Contains(entry.Name))
            {
                throw new UserException($"{entry.FullName}: not listed in {ReleaseManifest.FileName} (the folder must hold exactly what qus-tarballs wrote)");
            }

            if (entry is not FileInfo)
            {
                throw new UserException($"{entry.FullName}: not a regular file");
            }
        }

        if (expected.FirstOrDefault(name => entries.All(e => e.Name != name)) is { } missing)
        {
            throw new UserException($"{System.IO.Path.Combine(folder, missing)}: no such file (listed in {ReleaseManifest.FileName})");
        }

        var sums = Sha256Sums.Load(System.IO.Path.Combine(folder, Sha256Sums.FileName));
        var files = new AssetFile[entries.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, entries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var info = (FileInfo)entries[i];
                files[i] = new AssetFile(info.Name, info.FullName, info.Length, await Sha256Hex.OfFileAsync(info.FullName, ct));
            });

        foreach (var file in files)
        {
            Check(file, listed, sums);
        }

        return new AssetFolder(folder, manifest, files);
    }

    private static void Check(AssetFile file, Dictionary<string, ManifestFile> listed, Sha256Sums sums)
    {
        if (listed.TryGetValue(file.Name, out var stated) && (stated.Size != file.Size || stated.Sha256 != file.Sha256))
        {
            throw new UserException($"{file.Path}: does not match {ReleaseManifest.FileName} (size {file.Size}, sha256 {file.Sha256})");
        }

        // SHA256SUMS must vouch for every emulator, tarball and the SBOM; any other file it lists must match too.
        if (listed.ContainsKey(file.Name) || file.Name == SpdxDocument.FileName || sums.Entries.ContainsKey(file.Name))
        {
            sums.Require(file.Name, file.Path, file.Sha256);
        }
    }
}
