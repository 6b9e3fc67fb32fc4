namespace Qus.Pipeline;

/// <summary>The checkout this program was built from: the tools it runs and the default qus.yml and out/ are there.</summary>
internal static class Repository
{
    /// <summary>The nearest folder above this program holding QemuUserStatic.sln.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "QemuUserStatic.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"{AppContext.BaseDirectory}: not inside a checkout (no QemuUserStatic.sln above it)");
    }
}
