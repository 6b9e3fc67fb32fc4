using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// A folder built under a temporary sibling name and moved into place by <see cref="Commit"/>, so a failed or
/// interrupted run leaves the previous folder (or nothing) rather than half an output. Disposing without
/// committing deletes the temporary folder.
/// </summary>
public sealed class StagedFolder : IDisposable
{
    private bool committed;

    private StagedFolder(string target, string path)
    {
        Target = target;
        Path = path;
    }

    /// <summary>Where the folder goes.</summary>
    public string Target { get; }

    /// <summary>The temporary folder to build in.</summary>
    public string Path { get; }

    /// <summary>Starts a staged folder for <paramref name="target"/> (its parent is created if needed).</summary>
    public static StagedFolder Begin(string target)
    {
        var full = System.IO.Path.GetFullPath(target).TrimEnd('/');
        var parent = System.IO.Path.GetDirectoryName(full) ?? throw new UserException($"{target}: cannot be an output folder");
        Directory.CreateDirectory(parent);
        var path = $"{full}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(path);
        return new StagedFolder(full, path);
    }

    /// <summary>Replaces <see cref="Target"/> (if any) with the built folder.</summary>
    public void Commit()
    {
        string? previous = null;
        if (Directory.Exists(Target))
        {
            previous = $"{Target}.old-{Environment.ProcessId}-{Guid.NewGuid():N}";
            Directory.Move(Target, previous);
        }

        Directory.Move(Path, Target);
        committed = true;
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!committed && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
