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

    // A PATH of busybox applets only, as in the busybox image: the script's cat, mount, tr, uname and stat are
    // busybox's. Debian's busybox has no flock applet, the image's has: util-linux's flock(1) stands in for it.
    private static readonly Lazy<string> BusyboxPath = new(() =>
    {
        var folder = Path.Combine(PackageFixtures.CacheRoot, "busybox-applets");
        Directory.CreateDirectory(folder);
        var applets = new[] { "cat", "mount", "tr", "uname", "sh", "stat" }.Select(a => (Name: a, Target: "/usr/bin/busybox"))
            .Append((Name: "flock", Target: "/usr/bin/flock"));
        foreach (var (applet, target) in applets.Where(a => !File.Exists(Path.Combine(folder, a.Name))))
        {
            try
            {
                File.CreateSymbolicLink(Path.Combine(folder, applet), target);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, applet)))
            {
                // Another test process made it first.
            }
        }

        return folder;
    });

    /// <summary>Shell words that run <paramref name="implementation"/> with <paramref name="args"/>.</summary>
    public static string Command(string implementation, params string[] args) => implementation switch
    {
        "qus-register" => BinfmtSandbox.Tool(args),
        "busybox sh" => Words(["env", $"PATH={BusyboxPath.Value}", "/usr/bin/busybox", "sh", ScriptFile.Value, .. args]),
        "dash" => Words(["dash", ScriptFile.Value, .. args]),
        _ => throw new ArgumentOutOfRangeException(nameof(implementation)),
    };

    private static string Words(IEnumerable<string> words) => string.Join(' ', words.Select(BinfmtSandbox.Quote));

    /// <summary>Error output with the program name made the same (qus-register: / register:).</summary>
    public static string Normalized(string errors) =>
        string.Join('\n', errors.Split('\n').Select(l => l.StartsWith("qus-register: ", StringComparison.Ordinal) ? l["qus-".Length..] : l));
}
