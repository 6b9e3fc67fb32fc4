using QemuUserStatic.Archives;
using QemuUserStatic.Common;

namespace QemuUserStatic.Packages;

/// <summary>
/// What every package reader shares: entries are streamed once, in package order, each entry's content valid until
/// the next is requested, and format errors surface as user errors naming the package.
/// </summary>
public abstract class SinglePassPackage : IPackageFile
{
    private bool read;

    /// <inheritdoc />
    public abstract PackageIdentity Identity { get; }

    /// <inheritdoc />
    public abstract PackageChecks Checks { get; }

    /// <inheritdoc />
    public IEnumerable<PackageEntry> ReadEntries(CancellationToken cancellationToken = default)
    {
        if (read)
        {
            throw new InvalidOperationException("the entries of a package can be read once");
        }

        read = true;
        return Read(cancellationToken);
    }

    /// <inheritdoc />
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The entries, read once.</summary>
    protected abstract IEnumerable<PackageEntry> Read(CancellationToken cancellationToken);

    /// <summary>The decompressed bytes of the package file's <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    protected Stream OpenPayload(long offset, long length, string compression)
    {
        var file = SequentialFile.OpenRead(Identity.Path);
        file.Position = offset;
        return PackageErrors.Guard(Identity.Path, () => Decompression.Open(compression, new LengthLimitedStream(file, length, leaveOpen: false)));
    }

    /// <summary>
    /// Streams the entries of an archive: <paramref name="next"/> reads the next archive member (null at the end),
    /// <paramref name="toEntry"/> checks it and turns it into a package entry (null to pass it over). A member's
    /// content expires when the next one is read.
    /// </summary>
    protected IEnumerable<PackageEntry> Members<TMember>(Func<TMember?> next, Func<TMember, PackageEntry?> toEntry, CancellationToken cancellationToken)
        where TMember : class
    {
        var path = Identity.Path;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var member = PackageErrors.Guard(path, next);
            if (member is null)
            {
                yield break;
            }

            if (PackageErrors.Guard(path, () => toEntry(member)) is { } entry)
            {
                yield return entry;
                entry.Content.Expire();
            }
        }
    }
}
