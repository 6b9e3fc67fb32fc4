using System.Security.Cryptography;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Everything in a folder, recursively: each entry's kind, mode, modification time and (for files) SHA-256, hidden
/// entries included, links not followed. Two equal snapshots mean the folder is unchanged byte for byte.
/// </summary>
public static class FolderSnapshot
{
    /// <summary>The snapshot of <paramref name="folder"/>, one line per entry, sorted by path.</summary>
    public static IReadOnlyList<string> Of(string folder) =>
        new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e => $"{Path.GetRelativePath(folder, e.FullName)} {Kind(e)} {Convert.ToString((int)e.UnixFileMode, 8)} {e.LastWriteTimeUtc:O} {Content(e)}")
            .ToList();

    private static string Kind(FileSystemInfo entry) =>
        entry.LinkTarget is { } target ? $"link->{target}" : entry is DirectoryInfo ? "folder" : "file";

    private static string Content(FileSystemInfo entry) =>
        entry is FileInfo file && entry.LinkTarget is null ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.FullName))) : "";
}
