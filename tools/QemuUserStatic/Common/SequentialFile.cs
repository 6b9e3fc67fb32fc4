namespace QemuUserStatic.Common;

/// <summary>Files opened the way a streaming reader wants them: read-only, shared, read-ahead hinted.</summary>
public static class SequentialFile
{
    /// <summary>Opens <paramref name="path"/> for one front-to-back read.</summary>
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}
