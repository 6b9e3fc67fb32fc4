using System.Text;
using System.Text.Json;
using QemuUserStatic.Common;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Remembers, in the download cache, which files a source listed for a version and its hosts. A Debian version or a
/// Koji build never changes its files once published, so a later run with the same source, version and hosts
/// reuses the answer (and the cached files) without asking the network.
/// </summary>
internal sealed class ResolutionMemo(DownloadCache cache)
{
    /// <summary>The remembered packages, or null when this question was not answered before.</summary>
    public IReadOnlyList<RepositoryPackage>? Find(string sourceIdentity, string version, IReadOnlyList<string> hosts)
    {
        var path = PathOf(sourceIdentity, version, hosts);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), FetchJsonContext.Default.ListRepositoryPackage);
        }
        catch (JsonException)
        {
            return null; // A damaged memo is only a lost shortcut.
        }
    }

    /// <summary>Remembers the packages a source listed.</summary>
    public Task SaveAsync(string sourceIdentity, string version, IReadOnlyList<string> hosts, IReadOnlyList<RepositoryPackage> packages, CancellationToken cancellationToken)
    {
        var path = PathOf(sourceIdentity, version, hosts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(packages.ToList(), FetchJsonContext.Default.ListRepositoryPackage), cancellationToken);
    }

    private string PathOf(string sourceIdentity, string version, IReadOnlyList<string> hosts)
    {
        var key = Sha256Hex.Of(Encoding.UTF8.GetBytes($"{sourceIdentity}\n{version}\n{string.Join(",", hosts)}"))[..32];
        return Path.Combine(cache.Root, "resolved", key + ".json");
    }
}
