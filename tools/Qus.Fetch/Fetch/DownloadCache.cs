namespace QemuUserStatic.Fetch;

/// <summary>
/// The download cache folder: verified files under <c>KEY/NAME</c> (the key is the published checksum), partial
/// downloads under <c>partial/</c> (resumed with HTTP Range), and index files with their validators under <c>index/</c>.
/// </summary>
internal sealed class DownloadCache(string root)
{
    /// <summary>The cache folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The default folder: <c>$XDG_CACHE_HOME/qus/fetch</c>, else <c>~/.cache/qus/fetch</c>.</summary>
    public static string DefaultRoot
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "qus", "fetch");
        }
    }

    /// <summary>Where the verified file lives.</summary>
    public string Entry(RemoteFile file) => Path.Combine(Root, file.CacheKey.Replace('/', Path.DirectorySeparatorChar), file.FileName);

    /// <summary>Where the file is downloaded to before it is verified.</summary>
    public string Partial(RemoteFile file) =>
        Path.Combine(Root, "partial", file.CacheKey.Replace('/', '-') + "-" + file.FileName + ".partial");

    /// <summary>Where an index (e.g. a Packages file) is kept, with its validators in <c>.etag</c>/<c>.modified</c> beside it.</summary>
    public string Index(Uri url) =>
        Path.Combine(Root, "index", Common.Sha256Hex.Of(System.Text.Encoding.UTF8.GetBytes(url.AbsoluteUri))[..24] + "-" + Path.GetFileName(url.AbsolutePath));
}
