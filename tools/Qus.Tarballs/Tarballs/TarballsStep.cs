using QemuUserStatic.Cli;

namespace QemuUserStatic.Tarballs;

/// <summary>Step 1 of the pipeline (qus-tarballs): packages → release files (see <see cref="TarballsWriter"/>).</summary>
internal static class TarballsStep
{
    /// <summary>Writes the release files of <paramref name="options"/>; every problem is a one-line <see cref="UserException"/>.</summary>
    public static async Task<TarballsResult> RunAsync(TarballsOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var manifest = await TarballsWriter.WriteAsync(options, reporter, cancellationToken).ConfigureAwait(false);
        return new TarballsResult(Path.GetFullPath(options.Output), manifest);
    }
}
