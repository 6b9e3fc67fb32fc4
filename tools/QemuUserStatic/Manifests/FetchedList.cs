using System.Text.Json;
using System.Text.Json.Serialization;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Manifests;

/// <summary>
/// <c>fetched.json</c>, what qus-fetch hands to the next step: the source, the version and every downloaded file
/// (relative to the folder holding fetched.json). Same inputs give the same bytes: no timestamps, fixed order.
/// </summary>
/// <param name="Source">debian or fedora.</param>
/// <param name="Version">The full package version fetched.</param>
/// <param name="Files">The files, in host order, then by name.</param>
public sealed record FetchedList(string Source, string Version, IReadOnlyList<FetchedFile> Files)
{
    /// <summary>The file name qus-fetch writes into its output folder.</summary>
    public const string FileName = "fetched.json";

    /// <summary>The JSON text (indented, ending with a newline).</summary>
    public string ToJson() => ReadableJson.Serialize(this, FetchedListJsonContext.Default.FetchedList) + "\n";

    /// <summary>Writes the list atomically to <paramref name="path"/>.</summary>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, ToJson(), cancellationToken);

    /// <summary>
    /// The paths of the packages <paramref name="path"/> (a fetched.json) lists for <paramref name="host"/> (any name
    /// of the architecture table); without a host the list must hold one host only.
    /// </summary>
    public static IReadOnlyList<string> PackagesFor(string path, string? host)
    {
        var list = Read(path);
        var hosts = list.Files.Select(f => f.Host).Distinct().ToList();
        string chosen;
        if (host is null)
        {
            chosen = hosts.Count == 1 ? hosts[0] : throw new UserException(
                $"{path}: lists packages for hosts {string.Join(", ", hosts)}: choose one with --host");
        }
        else
        {
            chosen = Architectures.ArchitectureTable.Get(host, "--host").Name;
        }

        var files = list.Files.Where(f => f.Host == chosen).Select(f => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, f.Name)).ToList();
        return files.Count > 0 ? files : throw new UserException($"{path}: no packages for host {chosen} (it lists {string.Join(", ", hosts)})");
    }

    /// <summary>Reads a fetched.json; a bad file is a <see cref="UserException"/> naming it.</summary>
    public static FetchedList Read(string path)
    {
        try
        {
            FileTypes.RequireRegularFile(path, "fetched list");
            return JsonSerializer.Deserialize(File.ReadAllText(path), FetchedListJsonContext.Default.FetchedList)
                ?? throw new UserException($"{path}: empty");
        }
        catch (JsonException ex)
        {
            throw new UserException($"{path}:{(ex.LineNumber ?? 0) + 1}: not a fetched.json ({ex.Message})");
        }
    }
}
