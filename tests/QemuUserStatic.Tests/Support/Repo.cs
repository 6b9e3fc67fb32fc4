namespace QemuUserStatic.Tests.Support;

/// <summary>Paths inside this repository, found from the test assembly's location.</summary>
public static class Repo
{
    /// <summary>The repository root (the folder holding global.json).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // .../bin/<Configuration>/net10.0/

    /// <summary>A path below the root.</summary>
    public static string Under(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The built tool assembly for a project under tools/, e.g. <c>Qus.Tarballs</c> → qus-tarballs.dll: tools are
    /// named after their command (Directory.Build.props).
    /// </summary>
    public static string ToolDll(string project) =>
        Path.Combine(Root, "tools", project, "bin", Configuration, "net10.0", ToolCommand(project) + ".dll");

    /// <summary>The command a tool project installs, e.g. <c>qus-tarballs</c> for Qus.Tarballs.</summary>
    public static string ToolCommand(string project) => project.ToLowerInvariant().Replace('.', '-');

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("global.json not found above " + AppContext.BaseDirectory);
    }
}
