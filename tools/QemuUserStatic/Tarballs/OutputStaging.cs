using QemuUserStatic.Cli;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// Makes a run's output all-or-nothing: files are written under temporary names in a hidden folder inside the
/// output folder (same file system), and renamed into place only by <see cref="Commit"/>. Disposing without a
/// commit removes everything written, and the output folder itself when this run created it.
/// </summary>
public sealed class OutputStaging : IDisposable
{
    private readonly bool createdOutput;
    private bool committed;

    private OutputStaging(string output, string folder, bool createdOutput)
    {
        Output = output;
        Folder = folder;
        this.createdOutput = createdOutput;
    }

    /// <summary>The output folder.</summary>
    public string Output { get; }

    /// <summary>The hidden staging folder inside it.</summary>
    public string Folder { get; }

    /// <summary>Creates the output folder if needed and a staging folder in it; failure is a user error naming the folder.</summary>
    public static OutputStaging Create(string output)
    {
        var full = Path.GetFullPath(output);
        var created = false;
        try
        {
            if (!Directory.Exists(full))
            {
                Directory.CreateDirectory(full);
                created = true;
            }

            var staging = Path.Combine(full, $".qus-tarballs-{Guid.NewGuid():N}.tmp");
            Directory.CreateDirectory(staging);
            return new OutputStaging(full, staging, created);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                TryDelete(() => Directory.Delete(full));
            }

            throw new UserException($"{output}: cannot write the output folder: {ex.Message}", inner: ex);
        }
    }

    /// <summary>The staging path of output file <paramref name="fileName"/>, which must be a plain file name.</summary>
    public string PathOf(string fileName)
    {
        if (fileName.Length == 0 || fileName is "." or ".." || fileName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        }

        return Path.Combine(Folder, fileName);
    }

    /// <summary>Moves every staged file into the output folder (replacing files of the same name), in the given order.</summary>
    public void Commit(IEnumerable<string> fileNames)
    {
        foreach (var name in fileNames)
        {
            File.Move(PathOf(name), Path.Combine(Output, name), overwrite: true);
        }

        committed = true;
        Directory.Delete(Folder, recursive: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (committed)
        {
            return;
        }

        TryDelete(() => Directory.Delete(Folder, recursive: true));
        if (createdOutput)
        {
            TryDelete(() => Directory.Delete(Output));
        }
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort while already failing: the original error is what the user needs to see.
        }
    }
}
