namespace QemuUserStatic.Tests.Support;

/// <summary>Runs qus-tarballs as a real process.</summary>
public static class TarballsTool
{
    /// <summary>Runs <c>qus-tarballs --input X... --output OUT ARGS...</c>.</summary>
    public static ProcessResult Run(
        IEnumerable<string> inputs, string output, IEnumerable<string>? args = null, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        ToolProcess.RunTool("Qus.Tarballs",
            [.. inputs.SelectMany(i => new[] { "--input", i }), "--output", output, .. args ?? []],
            environment ?? new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = null }, timeout: timeout);

    /// <summary>Every file in a folder (recursively) with its SHA-256, to compare two outputs byte for byte.</summary>
    public static IReadOnlyDictionary<string, string> Digests(string folder) => ReferenceExtraction.RegularFiles(folder);
}
