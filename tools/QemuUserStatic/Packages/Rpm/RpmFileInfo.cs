namespace QemuUserStatic.Packages.Rpm;

/// <summary>What an RPM header says about one file: path, mode, size and digest.</summary>
/// <param name="Path">Normalized relative path (<c>usr/bin/qemu-aarch64-static</c>).</param>
/// <param name="Mode">Full st_mode (type and permission bits), from FILEMODES.</param>
/// <param name="Size">Size in bytes, from FILESIZES or LONGFILESIZES.</param>
/// <param name="Digest">Hex digest from FILEDIGESTS; empty for anything but regular files.</param>
public sealed record RpmFileInfo(string Path, uint Mode, long Size, string Digest)
{
    // Old rpm (before the dirname/basename split) listed full paths here.
    private const int OldFileNames = 1027;

    /// <summary>The files a header lists, in header order; arrays of different lengths are a corrupt header.</summary>
    public static IReadOnlyList<RpmFileInfo> FromHeader(RpmHeader header)
    {
        var paths = Paths(header);
        var sizes = header.GetIntegers(RpmTag.LongFileSizes) ?? header.GetIntegers(RpmTag.FileSizes) ?? [];
        var modes = header.GetIntegers(RpmTag.FileModes) ?? [];
        var digests = header.GetStrings(RpmTag.FileDigests);
        if (sizes.Count != paths.Count || modes.Count != paths.Count || (digests is not null && digests.Count != paths.Count))
        {
            throw new InvalidDataException(
                $"the header lists {paths.Count} files but {sizes.Count} sizes, {modes.Count} modes and {digests?.Count ?? 0} digests");
        }

        return paths.Select((path, i) => new RpmFileInfo(path, (uint)modes[i], sizes[i], digests?[i] ?? "")).ToList();
    }

    private static List<string> Paths(RpmHeader header)
    {
        if (header.GetStrings(RpmTag.BaseNames) is not { } baseNames)
        {
            return (header.GetStrings(OldFileNames) ?? []).Select(p => EntryPath.Normalize(p.TrimStart('/'))).ToList();
        }

        var dirNames = header.GetStrings(RpmTag.DirNames) ?? [];
        var dirIndexes = header.GetIntegers(RpmTag.DirIndexes) ?? [];
        if (dirIndexes.Count != baseNames.Count || dirIndexes.Any(i => i >= dirNames.Count))
        {
            throw new InvalidDataException("the header's DIRINDEXES do not match its DIRNAMES and BASENAMES");
        }

        return baseNames.Select((name, i) => EntryPath.Normalize(Joined(dirNames[(int)dirIndexes[i]], name).TrimStart('/'))).ToList();
    }

    /// <summary>A DIRNAMES entry and a BASENAMES entry, their length checked before they are joined.</summary>
    private static string Joined(string dirName, string baseName)
    {
        if (dirName.Length + baseName.Length > PackageLimits.MaxPathLength)
        {
            throw new InvalidDataException($"the header lists a path longer than {PackageLimits.MaxPathLength} bytes");
        }

        return dirName + baseName;
    }
}
