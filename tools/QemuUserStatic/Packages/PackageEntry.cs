using QemuUserStatic.Archives;

namespace QemuUserStatic.Packages;

/// <summary>
/// One entry of a package, whatever its format: a safe relative path, what it is, and for regular files its
/// content (readable until the next entry is requested from the source).
/// </summary>
public sealed record PackageEntry
{
    /// <summary>Relative path without a leading <c>./</c> or <c>/</c>, checked by <see cref="EntryPath"/>: <c>usr/bin/qemu-aarch64-static</c>.</summary>
    public required string Path { get; init; }

    /// <summary>What the entry is.</summary>
    public required ArchiveEntryType Type { get; init; }

    /// <summary>Permission bits.</summary>
    public required UnixFileMode Mode { get; init; }

    /// <summary>Content size in bytes (0 for anything but regular files).</summary>
    public required long Size { get; init; }

    /// <summary>Target of a symbolic or hard link, checked not to lead outside the package.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>The content of a regular file, hashed and checked against the package's digest as it is read.</summary>
    public EntryContent Content { get; init; } = EntryContent.Empty;
}
