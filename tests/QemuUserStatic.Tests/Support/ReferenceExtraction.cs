using System.Security.Cryptography;

namespace QemuUserStatic.Tests.Support;

/// <summary>What the reference tools (rpm2cpio + zstdcat/xzcat/... + cpio, dpkg-deb) extract from a package, to compare with.</summary>
public static class ReferenceExtraction
{
    /// <summary>
    /// <c>rpm2cpio X | zstdcat | cpio -idm</c> into <paramref name="folder"/>; returns the folder. (rpm2cpio 4.18
    /// decompresses every payload itself; zstdcat passes plain cpio through, and older rpm2cpio builds leave zstd
    /// compressed, which is why the original pipeline had zstdcat.)
    /// </summary>
    public static string Rpm(string rpm, string folder)
    {
        Directory.CreateDirectory(folder);
        ToolProcess.ShellOrThrow($"rpm2cpio '{rpm}' | zstdcat | cpio -idm --quiet", workingDirectory: folder);
        return folder;
    }

    /// <summary>Relative path → SHA-256 of every regular file under <paramref name="root"/> (links not followed).</summary>
    public static IReadOnlyDictionary<string, string> RegularFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).LinkTarget is null)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Relative path → target of every symbolic link under <paramref name="root"/>.</summary>
    public static IReadOnlyDictionary<string, string> SymbolicLinks(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f))
            .Where(f => f.LinkTarget is not null)
            .ToDictionary(f => Path.GetRelativePath(root, f.FullName), f => f.LinkTarget!);
}
