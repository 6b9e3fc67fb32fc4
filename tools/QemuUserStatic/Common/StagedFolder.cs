using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// A folder built under a temporary sibling name and swapped into place by <see cref="Commit"/> in one step, so a
/// failed or interrupted run leaves the previous folder (or nothing) rather than half an output. Disposing without
/// committing deletes the temporary folder; one that a killed run left is removed by the next run for the same
/// target (<see cref="StagingLease"/>).
/// </summary>
public sealed class StagedFolder : IDisposable
{
    private readonly StagingLease lease;
    private bool committed;

    private StagedFolder(string target, StagingLease lease)
    {
        Target = target;
        this.lease = lease;
    }

    /// <summary>Where the folder goes.</summary>
    public string Target { get; }

    /// <summary>The temporary folder to build in.</summary>
    public string Path => lease.Path;

    /// <summary>Starts a staged folder for <paramref name="target"/> (its parent is created if needed).</summary>
    public static StagedFolder Begin(string target)
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
        return new StagedFolder(full, lease);
    }

    /// <summary>Replaces <see cref="Target"/> (if any) with the built folder, in one atomic exchange where the file system has one.</summary>
    public void Commit()
    {
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
        try
        {
            Directory.Delete(previous, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The new folder is in place; the old one keeps a name of ours, so the next run removes it.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!committed && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }

        lease.Dispose();
    }
}
