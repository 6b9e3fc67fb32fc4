namespace QemuUserStatic.Archives.Ar;

/// <summary>One member of a Unix ar archive (the .deb container).</summary>
/// <param name="Name">Member name without GNU's trailing '/'.</param>
/// <param name="ModificationTime">mtime, seconds since the epoch.</param>
/// <param name="Offset">Offset of the member's data in the archive.</param>
/// <param name="Size">Data size in bytes.</param>
internal sealed record ArMember(string Name, long ModificationTime, long Offset, long Size)
{
    /// <summary>The member's data; readable until the next member is requested from the reader.</summary>
    public Stream DataStream { get; init; } = Stream.Null;
}
