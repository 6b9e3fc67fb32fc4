using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// Opens a small input file (a configuration, a SHA256SUMS, an SBOM) whose size is checked before anything is read
/// or allocated: a hostile or mistaken huge file is a one-line user error, not an out-of-memory.
/// </summary>
public static class SizeLimitedFile
{
    /// <summary>
    /// The open file at <paramref name="path"/>; one over <paramref name="limit"/> bytes is a user error naming it and
    /// <paramref name="what"/> it is ("a configuration file").
    /// </summary>
    public static FileStream Open(string path, long limit, string what)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (file.Length > limit)
        {
            var length = file.Length;
            file.Dispose();
            throw new UserException($"{path}: {length} bytes, more than the limit of {limit} for {what}");
        }

        return file;
    }
}
