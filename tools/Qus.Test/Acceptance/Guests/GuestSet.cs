using QemuUserStatic.Cli;
using QemuUserStatic.Guests;

namespace QemuUserStatic.Acceptance.Guests;

/// <summary>
/// A folder of guest programs, one static executable per target named by the target (<c>aarch64</c>,
/// <c>mipsn32el</c>), as <see cref="GuestSetBuilder"/> builds it from <see cref="GuestTable"/> (qus-test's <c>--build-guests</c>, the tests).
/// </summary>
internal sealed class GuestSet
{
    /// <summary>The largest guest accepted (busybox-static is about 2 MiB; hello under 1 MiB).</summary>
    public const long MaxGuestBytes = 16L << 20;

    private readonly Dictionary<string, string> files;

    private GuestSet(string folder, Dictionary<string, string> files)
    {
        Folder = folder;
        this.files = files;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The targets with a guest here, sorted.</summary>
    public IReadOnlyList<string> Targets => files.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Reads <paramref name="folder"/>: every file must be named by a target of <see cref="GuestTable"/> and be a regular
    /// file of at most <see cref="MaxGuestBytes"/>; anything else is a user error naming it.
    /// </summary>
    public static GuestSet Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UserException($"--guests {folder}: no such folder");
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(path);
            var info = new FileInfo(path);
            if (GuestTable.For(name) is null)
            {
                throw new UserException($"--guests {folder}: '{ShownText.Of(name)}' is no target with a guest (known: {string.Join(", ", GuestTable.All.Select(g => g.Target))})");
            }

            if (!info.Exists || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                throw new UserException($"--guests {path}: not a regular file");
            }

            if (info.Length > MaxGuestBytes)
            {
                throw new UserException($"--guests {path}: {info.Length} bytes, more than a guest may have ({MaxGuestBytes})");
            }

            found[name] = path;
        }

        return new GuestSet(folder, found);
    }

    /// <summary>
    /// This set copied into <paramref name="folder"/> (created), every guest readable and executable by anyone: the
    /// sandbox's root is not this process's user and may not reach the original folder (a cache under /root).
    /// </summary>
    public GuestSet CopyTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, path) in files)
        {
            var copy = Path.Combine(folder, target);
            File.Copy(path, copy, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                           UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            copies[target] = copy;
        }

        return new GuestSet(Folder, copies);
    }

    /// <summary>The guest file of <paramref name="target"/>, or null.</summary>
    public string? FileOf(string target) => files.GetValueOrDefault(target);
}
