using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Fetch;

/// <summary>
/// <c>qus.lock.json</c>, committed beside qus.yml and written by <c>qus-fetch --update</c>: for the pinned Debian
/// version, per host, the exact file the mirror listed and when it was seen, so that the pin can still be fetched
/// from Debian's snapshot archive once the mirror has replaced the package (sid does every few weeks).
/// </summary>
/// <param name="Source">debian.</param>
/// <param name="Version">The pinned version the entries are for.</param>
/// <param name="Packages">One entry per host, in host order.</param>
internal sealed record PinLock(string Source, string Version, IReadOnlyList<LockedPackage> Packages)
{
    /// <summary>The lock file's name, beside the configuration file.</summary>
    public const string FileName = "qus.lock.json";

    /// <summary>The lock file beside a configuration file.</summary>
    public static string PathBeside(string configFile) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile))!, FileName);

    /// <summary>The entry for a host and version, or null.</summary>
    public LockedPackage? Find(string host, string version) =>
        Version == version ? Packages.FirstOrDefault(p => p.Host == host && p.Version == version) : null;

    /// <summary>
    /// The lock for <paramref name="version"/>'s <paramref name="packages"/>, seen when their suite's InRelease was
    /// dated (else at <paramref name="now"/>); an entry
    /// <paramref name="previous"/> has for the same file is kept as it is (its first sighting stays, the bytes stay).
    /// </summary>
    /// <remarks>The previous lock's entries for the same version and other hosts stay too (a run for some hosts only).</remarks>
    public static PinLock Of(QemuVersion version, IReadOnlyList<RepositoryPackage> packages, PinLock? previous, DateTimeOffset now)
    {
        var entries = packages.Select(p =>
            previous?.Find(p.HostArch, p.Version) is { } kept && kept.Sha256 == p.Remote.Sha256 && kept.Package == p.Name
                ? kept
                : new LockedPackage(
                    p.HostArch, p.Name, p.Version, p.Arch,
                    p.Suite ?? throw new InvalidOperationException("only Debian packages are locked"),
                    p.PoolPath!, p.Remote.Size ?? 0, p.Remote.Sha256 ?? "", LockedPackage.Timestamp(p.ListedAt ?? now))).ToList();
        var others = previous?.Version == version.Full ? previous.Packages.Where(p => entries.All(e => e.Host != p.Host)) : [];
        return new(version.Origin.Name(), version.Full, [.. entries, .. others]);
    }

    /// <summary>
    /// <c>qus-fetch --update</c>: locks what <paramref name="source"/> lists for <paramref name="pinned"/> in the lock file
    /// at <paramref name="path"/> (beside the configuration file; null when there is none, an error), keeping what
    /// <paramref name="previous"/> already locks, and leaving an unchanged file untouched. Debian only: Koji keeps
    /// every build's files.
    /// </summary>
    public static async Task UpdateAsync(
        PackageOrigin kind, string? path, PinLock? previous, IPackageRepository source, QemuVersion pinned, IReadOnlyList<string> hosts,
        Reporter reporter, CancellationToken cancellationToken)
    {
        if (kind != PackageOrigin.Debian)
        {
            reporter.Line($"{FileName}: not written for {kind.Name()} (its builds keep their files)");
            return;
        }

        var file = path ?? throw new UserException(
            $"--update: no configuration file to write {FileName} beside (none found; give --config or ${PipelineConfig.EnvironmentVariable})");
        var packages = await source.ResolveAsync(pinned, hosts, cancellationToken).ConfigureAwait(false);
        var locked = Of(pinned, packages, previous, DateTimeOffset.UtcNow);
        if (File.Exists(file) && await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false) == locked.ToJson())
        {
            reporter.Line($"{file} already locks {pinned}");
            return;
        }

        await locked.WriteAsync(file, cancellationToken).ConfigureAwait(false);
        reporter.Line($"locked {pinned} for {string.Join(", ", locked.Packages.Select(p => p.Host))} in {file}");
    }

    /// <summary>The JSON text (indented, ending with a newline).</summary>
    public string ToJson() => ReadableJson.Serialize(this, PinLockJsonContext.Default.PinLock) + "\n";

    /// <summary>Writes the lock atomically.</summary>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, ToJson(), cancellationToken);

    /// <summary>Reads a lock file; null when there is none; a damaged one is a <see cref="UserException"/> naming it.</summary>
    public static PinLock? ReadIfExists(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        PinLock? read;
        try
        {
            read = JsonSerializer.Deserialize(File.ReadAllText(path), PinLockJsonContext.Default.PinLock);
        }
        catch (JsonException ex)
        {
            throw new UserException($"{path}:{(ex.LineNumber ?? 0) + 1}: not a {FileName} ({ex.Message})");
        }

        if (read?.Packages is null || read.Version is null)
        {
            throw new UserException($"{path}: not a {FileName} (no version or packages)");
        }

        foreach (var entry in read.Packages)
        {
            if (entry.Sha256 is not { Length: 64 } || entry.Filename is null || entry.Suite is null || !LockedPackage.IsTimestamp(entry.Seen))
            {
                throw new UserException($"{path}: the entry for {entry.Host} lacks filename, suite, sha256 or seen (YYYYMMDDTHHMMSSZ)");
            }
        }

        return read;
    }
}

/// <summary>One locked file: what the mirror listed for a host, and when.</summary>
/// <param name="Host">The host architecture (canonical table name).</param>
/// <param name="Package">The binary package (qemu-user, qemu-user-static).</param>
/// <param name="Version">Its full version.</param>
/// <param name="Arch">Debian's architecture name.</param>
/// <param name="Suite">The suite that listed it.</param>
/// <param name="Filename">The index's Filename: the pool path below the archive root.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256 (lower-case hex).</param>
/// <param name="Seen">
/// When the mirror was seen listing it (the signed Date of the suite's InRelease), as snapshot.debian.org spells
/// times: YYYYMMDDTHHMMSSZ.
/// </param>
internal sealed record LockedPackage(
    string Host, string Package, string Version, string Arch, string Suite, string Filename, long Size, string Sha256, string Seen)
{
    private const string Format = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>A time as the snapshot archive spells it (UTC, YYYYMMDDTHHMMSSZ).</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="text"/> is such a time.</summary>
    public static bool IsTimestamp(string? text) =>
        DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _);

    /// <summary>
    /// Where the snapshot archive serves this file: <c>SNAPSHOT/archive/debian/SEEN/FILENAME</c> (the archive
    /// <c>debian-security</c> for a -security suite) is the archive's state as of the time it was seen.
    /// </summary>
    public Uri SnapshotUrl(Uri snapshot) => Net.UrlPath.Combine(
        snapshot, $"archive/{(DebianRepositoryConfig.IsSecuritySuite(Suite) ? "debian-security" : "debian")}/{Seen}/{Filename}");
}

/// <summary>The lock file's JSON, source-generated (no reflection: the tools are built for NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PinLock))]
internal sealed partial class PinLockJsonContext : JsonSerializerContext;
