using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Archives;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Guests;

/// <summary>
/// Builds a guest set (the folder qus-test's <c>--guests</c> runs): one static program per row of a guest table, named
/// by its target: Debian's busybox-static of the row's architecture and suite (<see cref="DebianDownload"/>, the
/// program read out of the .deb by <see cref="BusyboxImage.ReadProgram"/>), or the hello cross-compiled by Debian's
/// gcc-TRIPLET with the row's flags. Cached in a cache folder as <c>guests-KEY</c> (<see cref="FolderName"/>), the
/// .debs beside it; the set appears whole or not at all (<see cref="StagedOutput"/>).
/// </summary>
/// <param name="guests">The table's rows.</param>
/// <param name="helloSource">The hello's C source.</param>
internal sealed class GuestSetBuilder(IReadOnlyList<GuestSpec> guests, string helloSource)
{
    /// <summary>
    /// How many guests are made at once: a core each (apt reading a suite's lists is half of a busybox download, and
    /// CPU work), at most four against the mirror.
    /// </summary>
    public static readonly int Concurrency = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The Debian mirror of the busybox packages.</summary>
    public string Mirror { get; init; } = DebianDownload.ConfiguredMirror;

    /// <summary>This machine's packages: the missing ones the set needs are installed, or named in the error.</summary>
    public MachinePackages Machine { get; init; } = new();

    /// <summary>A short key of the table and the hello's source: a change of either makes another set.</summary>
    public string Key { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(guests.Select(g => g.Line)) + helloSource)))[..12];

    /// <summary>The set's folder in a cache folder.</summary>
    public string FolderName => "guests-" + Key;

    /// <summary>The Debian packages building the set needs on this machine, sorted.</summary>
    public IReadOnlyList<string> DebianPackages =>
        guests.SelectMany(g => g.DebianPackages).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The builder of <see cref="GuestTable"/>'s set, the one qus-test runs.</summary>
    public static GuestSetBuilder ForGuestTable() => new(GuestTable.All, GuestTable.HelloSource);

    /// <summary>
    /// The set's folder in <paramref name="cache"/> (created), built unless it is there: the packages it needs are
    /// installed first where this process may (else a user error names them), then every guest is made.
    /// </summary>
    public async Task<string> BuildAsync(string cache, Reporter reporter, CancellationToken cancellationToken = default)
    {
        var root = CacheFolder(cache);
        var folder = Path.Combine(root, FolderName);
        if (Directory.Exists(folder))
        {
            reporter.Line($"guest set: {folder} ({guests.Count} guests, cached)");
            return folder;
        }

        var packages = await Machine.EnsureAsync(
            DebianPackages, recommends: true,
            absent => reporter.Line($"guest set: installing {absent} (the hello guests' cross compilers, the busybox lists' keyring)"),
            cancellationToken).ConfigureAwait(false);
        if (!packages.Complete)
        {
            throw new UserException($"guest set: {packages.Problem}");
        }

        reporter.Line($"guest set: building {folder} ({guests.Count} guests)");
        using var staged = StagedOutput.ReplacingFolder(folder);
        var source = Path.Combine(staged.Path, "hello.c");
        await File.WriteAllTextAsync(source, helloSource, cancellationToken).ConfigureAwait(false);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(guests, parallel, async (guest, token) =>
        {
            reporter.Progress($"guest set: {guest.Target}");
            var file = staged.PathOf(guest.Target);
            if (guest.Kind == GuestKind.Busybox)
            {
                var deb = await DebianDownload.FromSuiteAsync("busybox-static", guest.Source, guest.Suite, root, Mirror, token).ConfigureAwait(false);
                await File.WriteAllBytesAsync(file, BusyboxImage.ReadProgram(deb, token), token).ConfigureAwait(false);
            }
            else
            {
                await CrossCompiler.CompileAsync(guest.Source, source, guest.Flags, file, token).ConfigureAwait(false);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, ReproducibleTar.Executable);
            }
        }).ConfigureAwait(false);

        File.Delete(source);
        if (!Directory.Exists(folder))
        {
            // Else another run made the same set meanwhile: it stays (a run may be reading it), this one is dropped.
            staged.Commit();
        }

        reporter.Line($"guest set: {folder} ({guests.Count} guests)");
        return folder;
    }

    // The cache folder, created: a path that cannot be one is a user error naming it.
    private static string CacheFolder(string cache)
    {
        if (string.IsNullOrWhiteSpace(cache))
        {
            throw new UserException($"guest set cache '{cache}': give a folder");
        }

        var full = Path.GetFullPath(cache);
        if (File.Exists(full))
        {
            throw new UserException($"guest set cache {cache}: is a file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(full);
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserException($"guest set cache {cache}: cannot be created: {ex.Message}", inner: ex);
        }
    }
}
