namespace QemuUserStatic.Tests.Support;

/// <summary>npm tools the tests use (GitHub's workflow schema validator), installed once into .fixtures/npm.</summary>
public static class NodeTools
{
    private static readonly Lazy<string> Folder = new(Install);

    /// <summary>The action-validator command (schema validation of workflows and actions).</summary>
    public static string ActionValidator => Path.Combine(Folder.Value, "node_modules", ".bin", "action-validator");

    private static string Install()
    {
        var folder = Path.Combine(PackageFixtures.CacheRoot, "npm");
        if (!File.Exists(Path.Combine(folder, "node_modules", ".bin", "action-validator")))
        {
            Directory.CreateDirectory(folder);
            ToolProcess.ShellOrThrow(
                "npm install --no-audit --no-fund --silent --prefix . @action-validator/cli@0.6.0 >/dev/null", workingDirectory: folder);
        }

        return folder;
    }
}
