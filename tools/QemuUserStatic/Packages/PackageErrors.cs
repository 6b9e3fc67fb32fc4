using QemuUserStatic.Cli;

namespace QemuUserStatic.Packages;

/// <summary>Turns what readers throw on a bad package into one-line user errors that name the package.</summary>
public static class PackageErrors
{
    /// <summary>
    /// The user error for <paramref name="ex"/> raised while reading <paramref name="package"/>: truncation and
    /// format errors get the package name; anything else (real I/O failures, cancellation, bugs) is returned as is.
    /// </summary>
    public static Exception Describe(string package, Exception ex) => ex switch
    {
        UserException => ex,
        EndOfStreamException => new UserException($"{package}: truncated: the file ends before the data it announces", inner: ex),
        InvalidDataException => new UserException($"{package}: {ex.Message}", inner: ex),
        _ => ex,
    };

    /// <summary>Runs <paramref name="read"/>, describing its failures with <see cref="Describe"/>.</summary>
    public static T Guard<T>(string package, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (Describe(package, ex) is { } described && described != ex)
        {
            throw described;
        }
    }

    /// <summary>Runs <paramref name="read"/>, describing its failures with <see cref="Describe"/>.</summary>
    public static void Guard(string package, Action read) => Guard(package, () =>
    {
        read();
        return true;
    });
}
