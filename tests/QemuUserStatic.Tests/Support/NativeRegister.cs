using System.Collections.Concurrent;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-register built by tools/build-native (NativeAOT) for a Linux runtime, cached by the script itself in
/// <c>.fixtures/native-register/SOURCES-HASH/</c> (QUS_NATIVE_CACHE): a test run, and a CI job, builds each runtime
/// once, and again only when a source of the tool changed.
/// </summary>
public static class NativeRegister
{
    private static readonly ConcurrentDictionary<string, Lazy<(string Path, ProcessResult Build)>> Built = new();

    /// <summary>The cache tools/build-native keeps its builds in for the tests.</summary>
    public static string Cache => Path.Combine(PackageFixtures.CacheRoot, "native-register");

    /// <summary>The executable <c>qus-register-linux-RID</c> for <paramref name="rid"/> (x64, arm64).</summary>
    public static string For(string rid) => Get(rid).Path;

    /// <summary>What tools/build-native printed (a cached build says so and prints nothing else).</summary>
    public static ProcessResult BuildOutput(string rid) => Get(rid).Build;

    private static (string Path, ProcessResult Build) Get(string rid) => Built.GetOrAdd(rid, r => new(() =>
    {
        var folder = Path.Combine(Cache, "out-" + r);
        var result = ToolProcess.Run(Repo.Under("tools", "build-native"), [r, folder],
            new Dictionary<string, string?> { ["QUS_NATIVE_CACHE"] = Cache }, timeout: TimeSpan.FromMinutes(20));
        return result.ExitCode == 0
            ? (result.StandardOutput.TrimEnd('\n').Split('\n')[^1], result)
            : throw new InvalidOperationException($"tools/build-native {r} failed:\n{result}");
    })).Value;
}
