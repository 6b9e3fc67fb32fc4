using System.Text.RegularExpressions;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// Makes a run's output all-or-nothing: files are written under temporary names in a hidden folder inside the
/// output folder (same file system), and renamed into place only by <see cref="Commit"/>, after every destination
/// was checked. Disposing without a commit removes everything written, and the output folder itself when this run
/// created it. A staging folder a killed run left behind is removed by the next run (<see cref="StagingLease"/>).
/// </summary>
public sealed partial class OutputStaging : IDisposable
{
    private const string PreviousFolder = ".previous";
    private readonly bool createdOutput;
    private readonly StagingLease lease;
    private bool committed;

    private OutputStaging(string output, StagingLease lease, bool createdOutput)
    {
        Output = output;
        this.lease = lease;
        this.createdOutput = createdOutput;
    }

    /// <summary>The output folder.</summary>
    public string Output { get; }

    /// <summary>The hidden staging folder inside it.</summary>
    public string Folder => lease.Path;

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

            var lease = StagingLease.Begin(full, $".qus-tarballs-{Guid.NewGuid():N}.tmp", name => StagingName().IsMatch(name));
            return new OutputStaging(full, lease, created);
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
        if (fileName.Length == 0 || fileName is "." or ".." or PreviousFolder || fileName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        }

        return Path.Combine(Folder, fileName);
    }

    /// <summary>
    /// Fails with a user error when an output file could not be replaced: a folder stands where it goes. Checked
    /// before the first rename, so that a run never stops with half its files replaced.
    /// </summary>
    public void CheckReplaceable(IEnumerable<string> fileNames)
    {
        foreach (var name in fileNames)
        {
            var target = Path.Combine(Output, name);
            if (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null)
            {
                throw new UserException($"{target}: is a folder, where the release file {name} goes; nothing in {Output} was changed");
            }
        }
    }

    /// <summary>
    /// Moves every staged file into the output folder (replacing files of the same name), in the given order, once
    /// every destination is checked; should a rename still fail, the files already replaced are put back.
    /// </summary>
    public void Commit(IReadOnlyList<string> fileNames)
    {
        CheckReplaceable(fileNames);
        var previous = Directory.CreateDirectory(Path.Combine(Folder, PreviousFolder)).FullName;
        var moved = new List<(string Name, bool HadPrevious)>();
        try
        {
            foreach (var name in fileNames)
            {
                var target = Path.Combine(Output, name);
                var hadPrevious = File.Exists(target) || new FileInfo(target).LinkTarget is not null;
                if (hadPrevious)
                {
                    File.Move(target, Path.Combine(previous, name));
                }

                moved.Add((name, hadPrevious));
                File.Move(PathOf(name), target);
            }
        }
        catch
        {
            RollBack(moved, previous);
            throw;
        }

        committed = true;
        TryDelete(() => Directory.Delete(Folder, recursive: true));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!committed)
        {
            TryDelete(() => Directory.Delete(Folder, recursive: true));
            if (createdOutput)
            {
                TryDelete(() => Directory.Delete(Output));
            }
        }

        lease.Dispose();
    }

    /// <summary>Undoes a commit that failed half way: new files out, previous ones back, newest first.</summary>
    private void RollBack(List<(string Name, bool HadPrevious)> moved, string previous)
    {
        foreach (var (name, hadPrevious) in Enumerable.Reverse(moved))
        {
            var target = Path.Combine(Output, name);
            if (!File.Exists(PathOf(name)))
            {
                TryDelete(() => File.Delete(target));
            }

            if (hadPrevious)
            {
                TryDelete(() => File.Move(Path.Combine(previous, name), target));
            }
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

    [GeneratedRegex("^\\.qus-tarballs-[0-9a-f]{32}\\.tmp$")]
    private static partial Regex StagingName();
}
