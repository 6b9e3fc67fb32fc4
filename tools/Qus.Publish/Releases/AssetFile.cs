namespace QemuUserStatic.Releases;

/// <summary>A file of the assets folder that becomes a release asset of the same name.</summary>
internal sealed record AssetFile(string Name, string Path, long Size, string Sha256)
{
    /// <summary>The media type GitHub stores and serves the asset with.</summary>
    public string ContentType => Name switch
    {
        _ when Name.EndsWith(".tar.gz", StringComparison.Ordinal) || Name.EndsWith(".tgz", StringComparison.Ordinal) => "application/gzip",
        _ when Name.EndsWith(".json", StringComparison.Ordinal) => "application/json",
        _ when Name.EndsWith(".txt", StringComparison.Ordinal) || Name.EndsWith("SUMS", StringComparison.Ordinal) => "text/plain",
        _ => "application/octet-stream",
    };
}
