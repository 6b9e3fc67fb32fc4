using System.Text;
using Microsoft.Win32.SafeHandles;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Common;

/// <summary>
/// A file that lives only in memory (memfd_create(2)): never on a disk, and gone when its descriptor closes, which
/// the kernel does when this process ends however it ends (kill -9 included). A child process of the same user
/// reaches it by <see cref="Path"/> (<c>/proc/PID/fd/N</c>), for tools that take secrets or write results only
/// through a file name (skopeo's <c>--dest-authfile</c>, <c>--digestfile</c>).
/// </summary>
public sealed class MemoryFile : IDisposable
{
    private readonly SafeFileHandle handle;

    private MemoryFile(SafeFileHandle handle)
    {
        this.handle = handle;
        Path = $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}";
    }

    /// <summary>The name other processes open it by.</summary>
    public string Path { get; }

    /// <summary>A new empty memory file; <paramref name="name"/> only labels it in /proc.</summary>
    public static MemoryFile Create(string name)
    {
        var (handle, errno) = PosixCalls.CreateMemoryFile(name);
        return handle is null
            ? throw new UserException($"cannot create an in-memory file for {name} (memfd_create: {PosixCalls.Describe(errno)})")
            : new MemoryFile(handle);
    }

    /// <summary>Replaces the contents with <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.SetLength(handle, 0);
        RandomAccess.Write(handle, bytes, 0);
    }

    /// <summary>The contents as UTF-8 text (as another process may have written them).</summary>
    public string ReadAllText()
    {
        var bytes = new byte[RandomAccess.GetLength(handle)];
        var read = RandomAccess.Read(handle, bytes, 0);
        return Encoding.UTF8.GetString(bytes, 0, read);
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}
