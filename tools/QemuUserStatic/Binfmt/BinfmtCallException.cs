namespace QemuUserStatic.Binfmt;

/// <summary>
/// A binfmt_misc file or mount(2) answered with an errno. <see cref="BinfmtMessages"/> turns it into a sentence
/// that says what to do; the bare errno never reaches the user.
/// </summary>
/// <param name="path">The file written (register, an entry, status) or the folder mounted on.</param>
/// <param name="stage">Whether opening the file or the write itself failed.</param>
/// <param name="errno">The kernel's errno.</param>
public sealed class BinfmtCallException(string path, WriteStage stage, int errno)
    : IOException($"{path}: {KernelCalls.Describe(errno)}")
{
    /// <summary>The file written or the folder mounted on.</summary>
    public string Path { get; } = path;

    /// <summary>Whether opening the file or the write itself failed.</summary>
    public WriteStage Stage { get; } = stage;

    /// <summary>The errno, as a known value where it is one.</summary>
    public Errno Errno { get; } = (Errno)errno;

    /// <summary>The C library's text for the errno ("File exists").</summary>
    public string Reason { get; } = KernelCalls.Describe(errno);
}
