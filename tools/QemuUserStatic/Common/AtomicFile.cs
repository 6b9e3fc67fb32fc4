using System.Text.RegularExpressions;

namespace QemuUserStatic.Common;

/// <summary>
/// Writes files so that readers see either the old file or the whole new one, never half of it: the bytes go to a
/// temporary name beside the target and are renamed over it at the end. The temporary file is held with flock(2)
/// until it has its final name, so one whose lock is free and whose process (the id in its name) is gone was left
/// by a killed run: the next write of the same target removes it. The process check covers the moment between
/// creating the file and locking it.
/// <para>
/// The single-file case of <see cref="StagedOutput"/>, kept apart for one reason: it must work inside a folder this
/// very process is staging (index.json in a staged image layout), and staging takes flock(2) on the folder, which
/// a second descriptor of the same process would wait on forever. So it locks its temporary file, never a folder.
/// </para>
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default) =>
        WriteAsync(path, output => output.WriteAsync(bytes, cancellationToken).AsTask(), mode: null, cancellationToken);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, new System.Text.UTF8Encoding(false).GetBytes(text), cancellationToken);

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> atomically, with the source's permissions.</summary>
    public static async Task CopyAsync(string source, string path, CancellationToken cancellationToken = default)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(source);
        await WriteAsync(path, output => input.CopyToAsync(output, cancellationToken), mode, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A temporary name beside <paramref name="path"/>, hidden and unique to this process.</summary>
    private static string TempName(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");

    private static async Task WriteAsync(string path, Func<FileStream, Task> write, UnixFileMode? mode, CancellationToken cancellationToken)
    {
        RemoveStale(path);
        var temp = TempName(path);
        var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        _ = PosixCalls.LockExclusively(output.SafeFileHandle, wait: false);
        try
        {
            await using (output.ConfigureAwait(false))
            {
                await write(output).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (mode is { } unixMode && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, unixMode);
                }

                // Renamed while still open and locked: no moment where a clean-up could take it for stale.
                File.Move(temp, path, overwrite: true);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Removes the temporary files of <paramref name="path"/> that no living process holds or is creating.</summary>
    private static void RemoveStale(string path)
    {
        var full = Path.GetFullPath(path);
        var ours = new Regex($"^\\.{Regex.Escape(Path.GetFileName(full))}\\.tmp-(?<pid>[0-9]{{1,9}})-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-*"))
        {
            var match = ours.Match(Path.GetFileName(file));
            if (!match.Success || new FileInfo(file).LinkTarget is not null || Directory.Exists($"/proc/{match.Groups["pid"].Value}"))
            {
                continue;
            }

            try
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (PosixCalls.LockExclusively(handle, wait: false) == 0)
                {
                    File.Delete(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Held by a running process (the runtime's own sharing check), or gone meanwhile: not stale.
            }
        }
    }
}
