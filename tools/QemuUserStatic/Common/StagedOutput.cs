using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// The one way a run stages an output folder, so that a failed or killed run leaves the previous output (or nothing)
/// rather than half of one. Files are written into <see cref="Path"/>, a staging folder this run holds locked
/// (<see cref="StagingLease"/>: one a killed run left is removed by the next run for the same target), and appear
/// only at the commit, in one of two ways chosen when it begins:
/// <list type="bullet">
/// <item><see cref="ReplacingFolder"/>: staged beside the target (<c>NAME.partial-PID-GUID</c>), and
/// <see cref="Commit()"/> swaps the whole folder in, in one atomic exchange where the file system has one (an image
/// layout, a release folder).</item>
/// <item><see cref="IntoFolder"/>: staged hidden inside the target (<c>.qus-staging-GUID.tmp</c>, so on its file
/// system even when it is a mount point), and <see cref="Commit(IReadOnlyList{string})"/> renames the named files
/// into it, in that order, leaving its other files alone (a tarballs output folder, which may hold a user's files).</item>
/// </list>
/// Disposing without a commit removes the staging folder (and a target folder <see cref="IntoFolder"/> created).
/// A single small file is written with <see cref="AtomicFile"/> instead (see there why it is not staged this way).
/// </summary>
public sealed partial class StagedOutput : IDisposable
{
    private const string PreviousFolder = ".previous";
    private readonly StagingLease lease;
    private readonly bool whole;
    private readonly bool createdTarget;
    private bool committed;

    private StagedOutput(string target, StagingLease lease, bool whole, bool createdTarget)
    {
        Target = target;
        this.lease = lease;
        this.whole = whole;
        this.createdTarget = createdTarget;
    }

    /// <summary>The output folder.</summary>
    public string Target { get; }

    /// <summary>The staging folder to write in.</summary>
    public string Path => lease.Path;

    /// <summary>
    /// Stages a folder that <see cref="Commit()"/> puts in place of <paramref name="target"/> whole (its parent is
    /// created if needed); a file or a dangling link at the target is a user error.
    /// </summary>
    public static StagedOutput ReplacingFolder(string target)
    {
        var full = System.IO.Path.GetFullPath(target).TrimEnd('/');
        var parent = System.IO.Path.GetDirectoryName(full) ?? throw new UserException($"{target}: cannot be an output folder");
        if (File.Exists(full) || (new FileInfo(full).LinkTarget is not null && !Directory.Exists(full)))
        {
            throw new UserException($"{target}: exists and is not a folder");
        }

        Directory.CreateDirectory(parent);
        var name = System.IO.Path.GetFileName(full);
        var ours = new Regex($"^{Regex.Escape(name)}\\.(partial|old)-[0-9]+-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        var lease = StagingLease.Begin(parent, $"{name}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}", ours.IsMatch);
        return new StagedOutput(full, lease, whole: true, createdTarget: false);
    }

    /// <summary>
    /// Stages files that <see cref="Commit(IReadOnlyList{string})"/> moves into <paramref name="output"/> (created if
    /// needed); failure is a user error naming the folder.
    /// </summary>
    public static StagedOutput IntoFolder(string output)
    {
        var full = System.IO.Path.GetFullPath(output);
        var created = false;
        try
        {
            if (!Directory.Exists(full))
            {
                Directory.CreateDirectory(full);
                created = true;
            }

            var lease = StagingLease.Begin(full, $".qus-staging-{Guid.NewGuid():N}.tmp", name => InsideName().IsMatch(name));
            return new StagedOutput(full, lease, whole: false, created);
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

        return System.IO.Path.Combine(Path, fileName);
    }

    /// <summary>
    /// Fails with a user error when an output file could not be replaced: a folder stands where it goes. Checked
    /// before the first rename, so that a run never stops with half its files replaced.
    /// </summary>
    public void CheckReplaceable(IEnumerable<string> fileNames)
    {
        foreach (var name in fileNames)
        {
            var target = System.IO.Path.Combine(Target, name);
            if (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null)
            {
                throw new UserException($"{target}: is a folder, where the release file {name} goes; nothing in {Target} was changed");
            }
        }
    }

    /// <summary>Replaces <see cref="Target"/> (if any) with the staged folder (<see cref="ReplacingFolder"/> only).</summary>
    public void Commit()
    {
        RequireKind(whole);
        if (!Directory.Exists(Target))
        {
            Directory.Move(Path, Target);
            committed = true;
            return;
        }

        var previous = Path;
        if (PosixCalls.Exchange(Path, Target) != 0)
        {
            // No RENAME_EXCHANGE here: two renames, with a short moment without a Target.
            previous = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Target)!, $"{System.IO.Path.GetFileName(Target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(Target, previous);
            Directory.Move(Path, Target);
        }

        committed = true;
        // The new folder is in place; an old one this cannot remove keeps a name of ours, so the next run removes it.
        TryDelete(() => Directory.Delete(previous, recursive: true));
    }

    /// <summary>
    /// Moves the staged <paramref name="fileNames"/> into <see cref="Target"/> (replacing files of the same name), in
    /// that order, once every destination is checked; should a rename still fail, the files already replaced are put
    /// back (<see cref="IntoFolder"/> only).
    /// </summary>
    public void Commit(IReadOnlyList<string> fileNames)
    {
        RequireKind(!whole);
        CheckReplaceable(fileNames);
        var previous = Directory.CreateDirectory(System.IO.Path.Combine(Path, PreviousFolder)).FullName;
        var moved = new List<(string Name, bool HadPrevious)>();
        try
        {
            foreach (var name in fileNames)
            {
                var target = System.IO.Path.Combine(Target, name);
                var hadPrevious = File.Exists(target) || new FileInfo(target).LinkTarget is not null;
                if (hadPrevious)
                {
                    File.Move(target, System.IO.Path.Combine(previous, name));
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
        TryDelete(() => Directory.Delete(Path, recursive: true));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!committed)
        {
            TryDelete(() => Directory.Delete(Path, recursive: true));
            if (createdTarget)
            {
                TryDelete(() => Directory.Delete(Target));
            }
        }

        lease.Dispose();
    }

    private static void RequireKind(bool matches)
    {
        if (!matches)
        {
            throw new InvalidOperationException("a folder staged whole commits with Commit(), files staged into a folder with Commit(names)");
        }
    }

    /// <summary>Undoes a commit that failed half way: new files out, previous ones back, newest first.</summary>
    private void RollBack(List<(string Name, bool HadPrevious)> moved, string previous)
    {
        foreach (var (name, hadPrevious) in Enumerable.Reverse(moved))
        {
            var target = System.IO.Path.Combine(Target, name);
            if (!File.Exists(PathOf(name)))
            {
                TryDelete(() => File.Delete(target));
            }

            if (hadPrevious)
            {
                TryDelete(() => File.Move(System.IO.Path.Combine(previous, name), target));
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
            // Best effort while failing or cleaning up: the original error (or the committed output) is what counts.
        }
    }

    [GeneratedRegex("^\\.qus-staging-[0-9a-f]{32}\\.tmp$")]
    private static partial Regex InsideName();
}
