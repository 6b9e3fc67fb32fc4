using QemuUserStatic.Binfmt;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Register;

/// <summary>
/// The implementations of registration the tests run side by side: qus-register (C#, a real process) and the
/// generated /register script under the machine's busybox sh and under dash.
/// </summary>
public static class Registrars
{
    /// <summary>Names of the implementations, for test cases.</summary>
    public static readonly string[] All = ["qus-register", "busybox sh", "dash"];

    // The generated script as a file in the fixture cache, named by its digest (the same bytes, the same file).
    private static readonly Lazy<string> ScriptFile = new(() =>
    {
        var bytes = RegisterScript.RenderBytes();
        var path = Path.Combine(PackageFixtures.CacheRoot, $"register-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16]}.sh");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(PackageFixtures.CacheRoot);
            var staging = $"{path}.tmp-{Environment.ProcessId}";
            File.WriteAllBytes(staging, bytes);
            File.Move(staging, path, overwrite: true);
        }

        return path;
    });

    /// <summary>Shell words that run <paramref name="implementation"/> with <paramref name="args"/>.</summary>
    public static string Command(string implementation, params string[] args) => implementation switch
    {
        "qus-register" => BinfmtSandbox.Tool(args),
        "busybox sh" or "dash" => string.Join(' ', implementation.Split(' ').Append(ScriptFile.Value).Concat(args).Select(BinfmtSandbox.Quote)),
        _ => throw new ArgumentOutOfRangeException(nameof(implementation)),
    };

    /// <summary>Error output with the program name made the same (qus-register: / register:).</summary>
    public static string Normalized(string errors) =>
        string.Join('\n', errors.Split('\n').Select(l => l.StartsWith("qus-register: ", StringComparison.Ordinal) ? l["qus-".Length..] : l));
}
