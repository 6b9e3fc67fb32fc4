using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Archives;
using QemuUserStatic.Archives.Ar;
using QemuUserStatic.Archives.Tar;
using QemuUserStatic.Common;

namespace QemuUserStatic.Packages.Deb;

/// <summary>
/// A Debian binary package read natively: the ar container, <c>control.tar.*</c> for Package, Version,
/// Architecture and md5sums, and <c>data.tar.{xz,zst,gz,bz2}</c> streamed. Files read to their end are checked
/// against the package's md5sums. Problems are one-line <see cref="Cli.UserException"/>s naming the file.
/// </summary>
internal sealed class DebPackage : SinglePassPackage
{
    private readonly IReadOnlyDictionary<string, string> md5sums;
    private readonly ArMember data;

    private DebPackage(PackageIdentity identity, DebControl control, IReadOnlyDictionary<string, string> md5sums, ArMember data, string dataCompression)
    {
        Identity = identity;
        Control = control;
        this.md5sums = md5sums;
        this.data = data;
        DataCompression = dataCompression;
    }

    /// <inheritdoc />
    public override PackageIdentity Identity { get; }

    /// <summary>md5sums, where the package has one: a .deb's container carries no digest of its own (qus-fetch checks it against the signed Packages index).</summary>
    public override PackageChecks Checks => new([], md5sums.Count > 0 ? "md5sums MD5" : null, null);

    /// <summary>The control file's fields.</summary>
    public DebControl Control { get; }

    /// <summary>Compression of the data member (xz, zstd, gzip, bzip2, none).</summary>
    public string DataCompression { get; }

    /// <summary>True when <paramref name="start"/> (the first bytes of a file) is an ar archive, as every .deb is.</summary>
    public static bool HasArMagic(ReadOnlySpan<byte> start) => ArReader.IsArchive(start);

    /// <summary>Reads the container and control data of the .deb at <paramref name="path"/>; problems are user errors naming it.</summary>
    public static DebPackage Open(string path) => PackageErrors.Guard(path, () => OpenChecked(path));

    /// <summary>
    /// Reads the whole .deb at <paramref name="path"/>, checking every file against md5sums, and returns its identity;
    /// throws a user error naming the file and the mismatch.
    /// </summary>
    public static PackageIdentity Verify(string path, CancellationToken cancellationToken = default) =>
        PackageFile.Verify(Open(path), cancellationToken);

    /// <inheritdoc />
    protected override IEnumerable<PackageEntry> Read(CancellationToken cancellationToken)
    {
        using var payload = OpenPayload(data.Offset, data.Size, DataCompression);
        var tar = new TarArchiveReader(payload);
        foreach (var entry in Members(tar.GetNextEntry, ToEntry, cancellationToken))
        {
            yield return entry;
        }
    }

    private static DebPackage OpenChecked(string path)
    {
        var sha256 = Sha256Hex.OfFile(path);
        using var file = SequentialFile.OpenRead(path);
        var ar = new ArReader(file);
        var first = ar.GetNextMember();
        if (first is not { Name: "debian-binary", Size: < 64 } || !ReadText(first).StartsWith("2.", StringComparison.Ordinal))
        {
            throw new InvalidDataException("not a Debian package (the first ar member is not debian-binary 2.x)");
        }

        DebControl? control = null;
        var md5sums = new Dictionary<string, string>(StringComparer.Ordinal);
        while (ar.GetNextMember() is { } member)
        {
            if (member.Name.StartsWith("control.tar", StringComparison.Ordinal))
            {
                control = ReadControl(member, md5sums);
            }
            else if (member.Name.StartsWith("data.tar", StringComparison.Ordinal))
            {
                if (control is null)
                {
                    throw new InvalidDataException("data.tar comes before control.tar");
                }

                var compression = Decompression.FromSuffix(member.Name)
                    ?? throw new InvalidDataException($"unknown compressor of member '{member.Name}' (known: .tar, .gz, .xz, .zst, .bz2)");
                var version = DebianVersion.Parse(control.Required("Version"));
                var identity = new PackageIdentity(
                    Path: path,
                    Format: PackageFormat.Deb,
                    Name: control.Required("Package"),
                    Epoch: version.Epoch,
                    Version: version.Upstream,
                    Release: version.Revision,
                    Arch: control.Required("Architecture"),
                    BuildTime: PackageLimits.Timestamp(member.ModificationTime, $"the mtime of ar member '{member.Name}'"),
                    Size: file.Length,
                    Sha256: sha256);
                return new DebPackage(identity, control, md5sums, member with { DataStream = Stream.Null }, compression);
            }
            else if (!member.Name.StartsWith('_'))
            {
                throw new InvalidDataException($"unexpected ar member '{member.Name}' in a Debian package");
            }
        }

        throw new InvalidDataException(control is null ? "no control.tar member" : "no data.tar member");
    }

    private static DebControl ReadControl(ArMember member, Dictionary<string, string> md5sums)
    {
        var compression = Decompression.FromSuffix(member.Name)
            ?? throw new InvalidDataException($"unknown compressor of member '{member.Name}'");
        using var stream = Decompression.Open(compression, member.DataStream);
        var tar = new TarArchiveReader(stream);
        DebControl? control = null;
        var md5sumsRead = false;
        var count = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            if (++count > PackageLimits.MaxControlEntries)
            {
                throw new InvalidDataException($"{member.Name} has more than {PackageLimits.MaxControlEntries} entries");
            }

            var name = EntryPath.Normalize(entry.Name);
            if (entry.Type != ArchiveEntryType.RegularFile)
            {
                continue;
            }

            PackageLimits.Size(entry.Size, PackageLimits.MaxControlMemberSize, $"control member '{name}'");
            if (name is not ("control" or "md5sums"))
            {
                continue;
            }

            // Each is read once: a second copy would only make the package say two things (and cost twice the memory).
            if (name == "control" ? control is not null : md5sumsRead)
            {
                throw new InvalidDataException($"{member.Name} has '{name}' twice");
            }

            var text = ReadText(entry.DataStream);
            if (name == "control")
            {
                control = DebControl.Parse(text);
            }
            else
            {
                ParseMd5Sums(text, md5sums);
                md5sumsRead = true;
            }
        }

        return control ?? throw new InvalidDataException("control.tar has no control file");
    }

    private static void ParseMd5Sums(string text, Dictionary<string, string> md5sums)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ');
            if (space != 32)
            {
                throw new InvalidDataException($"md5sums line '{line}' is not '<md5>  <path>'");
            }

            md5sums[EntryPath.Normalize(line[space..].TrimStart(' ', '*'))] = line[..space];
        }
    }

    private PackageEntry? ToEntry(TarArchiveEntry tar)
    {
        var path = EntryPath.Normalize(tar.Name);
        if (path.Length == 0)
        {
            return null;
        }

        var type = tar.Type;
        if (type == ArchiveEntryType.SymbolicLink)
        {
            EntryPath.CheckSymbolicLink(path, tar.LinkTarget);
        }

        var linkTarget = type switch
        {
            ArchiveEntryType.SymbolicLink => tar.LinkTarget,
            ArchiveEntryType.HardLink => EntryPath.Normalize(tar.LinkTarget),
            _ => null,
        };
        if (type == ArchiveEntryType.HardLink && md5sums.TryGetValue(path, out var linkMd5) && md5sums.TryGetValue(linkTarget!, out var targetMd5)
            && !string.Equals(linkMd5, targetMd5, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"'{path}' is a hard link to '{linkTarget}', but md5sums gives them different digests");
        }

        if (type != ArchiveEntryType.RegularFile)
        {
            return new PackageEntry { Path = path, Type = type, Mode = tar.Mode, Size = 0, LinkTarget = linkTarget };
        }

        var expected = md5sums.TryGetValue(path, out var md5) ? new ExpectedDigest(HashAlgorithmName.MD5, md5, "md5sums") : null;
        return new PackageEntry
        {
            Path = path,
            Type = type,
            Mode = tar.Mode,
            Size = tar.Size,
            Content = new EntryContent(tar.DataStream, tar.Size, Identity.Path, path, expected),
        };
    }

    private static string ReadText(ArMember member) => ReadText(member.DataStream);

    private static string ReadText(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return reader.ReadToEnd();
    }
}
