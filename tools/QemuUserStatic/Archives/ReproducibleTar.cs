using System.Formats.Tar;
using System.IO.Compression;

namespace QemuUserStatic.Archives;

/// <summary>
/// Tar entries and gzip streams that give the same bytes for the same content: ustar format (no PAX access or
/// change times), owner 0:0 named root, a fixed mtime, and a gzip header without a timestamp.
/// Used for release tarballs and for image layers alike.
/// </summary>
public static class ReproducibleTar
{
    /// <summary>Mode 0755.</summary>
    public const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Mode 0644.</summary>
    public const UnixFileMode Regular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A regular file entry whose data is read from <paramref name="data"/> when written.</summary>
    public static TarEntry File(string name, UnixFileMode mode, DateTimeOffset mtime, Stream data)
    {
        var entry = Owned(new UstarTarEntry(TarEntryType.RegularFile, name), mode, mtime);
        entry.DataStream = data;
        return entry;
    }

    /// <summary>A directory entry (name ends with '/').</summary>
    public static TarEntry Directory(string name, DateTimeOffset mtime) =>
        Owned(new UstarTarEntry(TarEntryType.Directory, name.EndsWith('/') ? name : name + "/"), Executable, mtime);

    /// <summary>A symbolic link entry.</summary>
    public static TarEntry SymbolicLink(string name, string target, DateTimeOffset mtime)
    {
        var entry = Owned(new UstarTarEntry(TarEntryType.SymbolicLink, name), Executable, mtime);
        entry.LinkName = target;
        return entry;
    }

    /// <summary>
    /// A gzip stream over <paramref name="output"/>; .NET writes MTIME 0 and OS 3 (Unix), so equal input gives
    /// equal bytes. Level 6 is gzip's default; 9 is smaller and slower.
    /// </summary>
    public static GZipStream Gzip(Stream output, int level = 6, bool leaveOpen = false) =>
        new(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen);

    /// <summary>An mtime from seconds since the epoch (SOURCE_DATE_EPOCH or a package build time).</summary>
    public static DateTimeOffset Mtime(long secondsSinceEpoch) => DateTimeOffset.FromUnixTimeSeconds(secondsSinceEpoch);

    private static UstarTarEntry Owned(UstarTarEntry entry, UnixFileMode mode, DateTimeOffset mtime)
    {
        entry.Mode = mode;
        entry.ModificationTime = mtime;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "root";
        entry.GroupName = "root";
        return entry;
    }
}
