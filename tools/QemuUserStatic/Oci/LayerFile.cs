namespace QemuUserStatic.Oci;

/// <summary>
/// An entry to put in a layer: its path in the image (no leading slash) and mode, and for a regular file where its
/// bytes come from; or a symbolic link, or an (empty) folder.
/// </summary>
public sealed record LayerFile
{
    private LayerFile(string path, UnixFileMode mode, string? sourcePath, ReadOnlyMemory<byte> content, string? expectedSha256, string? linkTarget = null)
    {
        Path = path.TrimStart('/');
        Mode = mode;
        SourcePath = sourcePath;
        Content = content;
        ExpectedSha256 = expectedSha256;
        LinkTarget = linkTarget;
    }

    /// <summary>The path inside the image, e.g. <c>usr/bin/qemu-aarch64-static</c>.</summary>
    public string Path { get; }

    /// <summary>The file mode (0755 for programs).</summary>
    public UnixFileMode Mode { get; }

    /// <summary>The file on disk holding the content, or null when <see cref="Content"/> holds it.</summary>
    public string? SourcePath { get; }

    /// <summary>The content, when it is not read from <see cref="SourcePath"/>.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The SHA-256 (hex) the content must have, checked while the layer is written; null for no check.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>The target of a symbolic link, or null for a regular file or a folder.</summary>
    public string? LinkTarget { get; }

    /// <summary>True for a folder (its path ends with '/').</summary>
    public bool IsFolder => Path.EndsWith('/');

    /// <summary>A symbolic link to <paramref name="target"/>.</summary>
    public static LayerFile SymbolicLink(string path, string target) => new(path, default, null, default, null, target);

    /// <summary>A folder, e.g. an empty <c>tmp/</c> (the folders above every entry are added without asking).</summary>
    public static LayerFile Folder(string path) => new(path.TrimEnd('/') + "/", default, null, default, null);

    /// <summary>A file whose bytes are read from <paramref name="sourcePath"/>, optionally checked against a SHA-256.</summary>
    public static LayerFile FromDisk(string path, string sourcePath, UnixFileMode mode, string? expectedSha256 = null) =>
        new(path, mode, sourcePath, default, expectedSha256);

    /// <summary>A file with the given bytes.</summary>
    public static LayerFile FromBytes(string path, ReadOnlyMemory<byte> content, UnixFileMode mode) => new(path, mode, null, content, null);

    /// <summary>Opens the content for reading.</summary>
    public Stream Open() =>
        SourcePath is null
            ? new MemoryStream(Content.ToArray(), writable: false)
            : new FileStream(SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}
