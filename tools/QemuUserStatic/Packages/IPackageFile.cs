namespace QemuUserStatic.Packages;

/// <summary>
/// A package read the same way whatever its format (RPM, .deb, folder): its identity up front, then its entries
/// in order, streamed. Digests the package carries are checked as it is read; a mismatch is a
/// <see cref="Cli.UserException"/> naming the package and what did not match.
/// </summary>
public interface IPackageFile : IDisposable
{
    /// <summary>What the package says it is (read and checked when the source was opened).</summary>
    PackageIdentity Identity { get; }

    /// <summary>What the package carries to be checked by (digests over it as a whole, file digests), known once it is opened.</summary>
    PackageChecks Checks { get; }

    /// <summary>
    /// Every entry, in package order. A regular file's <see cref="PackageEntry.Content"/> is readable until the next
    /// entry is requested; content read to its end is checked against the package's file digest. When the
    /// enumeration completes, the whole payload has been read and every digest over it checked. Call once.
    /// </summary>
    IEnumerable<PackageEntry> ReadEntries(CancellationToken cancellationToken = default);
}
