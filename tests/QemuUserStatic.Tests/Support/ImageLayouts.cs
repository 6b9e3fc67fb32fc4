namespace QemuUserStatic.Tests.Support;

/// <summary>
/// qus-images inputs and layouts several test classes read: the x86_64- and aarch64-host folders, and the layout
/// built from both once per test run (on the local busybox base), deleted when the run ends.
/// </summary>
public static class ImageLayouts
{
    private static readonly Lazy<string> MultiHostLayout = new(BuildMultiHost);

    /// <summary>An x86_64-host folder with the aarch64 and riscv64 emulators.</summary>
    public static string X86Input => TarballsFolder.For("x86_64", "aarch64", "riscv64");

    /// <summary>An aarch64-host folder with the riscv64 and x86_64 emulators.</summary>
    public static string Arm64Input => TarballsFolder.For("aarch64", "riscv64", "x86_64");

    /// <summary>Every tag of both folders, as one layout.</summary>
    public static string MultiHost => MultiHostLayout.Value;

    /// <summary>Runs qus-images with <paramref name="args"/> into <paramref name="output"/>.</summary>
    public static ProcessResult Build(string output, IEnumerable<string> args, IDictionary<string, string?>? environment = null) =>
        ToolProcess.RunTool("Qus.Images", ["--output", output, .. args], environment);

    private static string BuildMultiHost()
    {
        var folder = Directory.CreateTempSubdirectory("qus-images-multi-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        var layout = Path.Combine(folder, "layout");
        var result = Build(layout, ["--input", X86Input, "--input", Arm64Input, "--base", BusyboxBase.Reference]);
        return result.ExitCode == 0 ? layout : throw new InvalidOperationException("qus-images failed:\n" + result);
    }
}
