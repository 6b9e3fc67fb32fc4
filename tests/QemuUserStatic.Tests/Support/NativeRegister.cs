using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-register built by tools/build-native (NativeAOT) for a Linux runtime, cached in
/// <c>.fixtures/native-register/HASH/</c> keyed by the sources' hash (tools/, the build props, global.json): a test
/// run, and a CI job, builds each runtime once, and again only when a source changed.
/// </summary>
public static class NativeRegister
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();

    /// <summary>The cache folder for the current sources.</summary>
    public static string CacheFolder => Path.Combine(PackageFixtures.CacheRoot, "native-register", SourcesHash.Value);

    private static readonly Lazy<string> SourcesHash = new(() =>
    {
        var files = Directory.EnumerateFiles(Repo.Under("tools"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Where(f => Path.GetExtension(f) is ".cs" or ".csproj" or ".props" or ".json" || f.EndsWith("/build-native", StringComparison.Ordinal))
            .Concat(new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }.Select(f => Repo.Under(f)))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(Repo.Root, file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    });

    /// <summary>
    /// The executable <c>qus-register-linux-RID</c> for <paramref name="rid"/> (x64, arm64), built when the cache does
    /// not hold it; the build's output (it must carry no warning) is kept beside it as <c>RID.log</c>.
    /// </summary>
    public static string For(string rid) => Built.GetOrAdd(rid, r => new Lazy<string>(() => Build(r))).Value;

    /// <summary>What the build of <paramref name="rid"/> printed (after <see cref="For"/>).</summary>
    public static string BuildLog(string rid) => File.ReadAllText(Path.Combine(CacheFolder, rid + ".log"));

    private static string Build(string rid)
    {
        var folder = CacheFolder;
        var executable = Path.Combine(folder, "qus-register-linux-" + rid);
        Directory.CreateDirectory(folder);
        // Another test process may be building the same one: one build at a time, the second finds it done.
        using var lockFile = Lock(Path.Combine(folder, ".lock"));
        if (!File.Exists(executable))
        {
            var result = ToolProcess.Run(Repo.Under("tools", "build-native"), [rid, folder], timeout: TimeSpan.FromMinutes(20));
            File.WriteAllText(Path.Combine(folder, rid + ".log"), result.ToString());
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"tools/build-native {rid} failed:\n{result}");
            }
        }

        return executable;
    }

    // An exclusive open is the lock; a busy one is waited for (a build takes minutes).
    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }
}
