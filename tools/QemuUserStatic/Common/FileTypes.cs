using System.Runtime.InteropServices;

namespace QemuUserStatic.Common;

/// <summary>
/// The type of a file without opening it. .NET's FileSystemInfo tells files from directories and links, not a FIFO
/// or a device from a regular file, and opening a FIFO blocks the thread where no cancellation reaches it; so
/// inputs ask the kernel first (statx(2), whose struct is laid out the same on every architecture).
/// </summary>
public static unsafe partial class FileTypes
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>What <paramref name="path"/> itself is, a symbolic link not followed (lstat).</summary>
    public static FileType OfLink(string path) => Query(path, AtSymlinkNoFollow);

    /// <summary>What <paramref name="path"/> leads to, symbolic links followed (stat).</summary>
    public static FileType Of(string path) => Query(path, 0);

    /// <summary>
    /// Refuses anything but a regular file (links followed) before it is opened: a FIFO or a device would block the
    /// read where no cancellation reaches it. <paramref name="what"/> names it in the error ("--config", "fetched.json").
    /// </summary>
    public static void RequireRegularFile(string path, string what)
    {
        var type = Of(path);
        if (type != FileType.RegularFile && type != FileType.Missing)
        {
            throw new Cli.UserException($"{what} {path}: {Describe(type)}, not a regular file");
        }
    }

    /// <summary>The kind in words, for error messages: "a FIFO", "a character device".</summary>
    public static string Describe(FileType type) => type switch
    {
        FileType.Missing => "missing",
        FileType.RegularFile => "a regular file",
        FileType.Directory => "a folder",
        FileType.SymbolicLink => "a symbolic link",
        FileType.Fifo => "a FIFO",
        FileType.CharacterDevice => "a character device",
        FileType.BlockDevice => "a block device",
        _ => "a socket",
    };

    private static FileType Query(string path, int flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere only what .NET can tell; the tools are built for Linux.
            return File.Exists(path) ? FileType.RegularFile : Directory.Exists(path) ? FileType.Directory : FileType.Missing;
        }

        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentDirectory, path, flags, StatxType, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchFile or NotADirectory
                ? FileType.Missing
                : throw new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var mode = *(ushort*)(buffer + ModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileType.RegularFile,
            0x4000 => FileType.Directory,
            0xA000 => FileType.SymbolicLink,
            0x1000 => FileType.Fifo,
            0x2000 => FileType.CharacterDevice,
            0x6000 => FileType.BlockDevice,
            _ => FileType.Socket,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
