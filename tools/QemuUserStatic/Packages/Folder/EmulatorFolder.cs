using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Archives;
using QemuUserStatic.Common;

namespace QemuUserStatic.Packages.Folder;

/// <summary>
/// A folder of <c>qemu-*-static</c> files read like a package: either the files themselves, or an unpacked
/// package root (<c>usr/bin/qemu-*-static</c>, <c>usr/lib/binfmt.d/*.conf</c>). It has no metadata, so its
/// identity comes from the files: the QEMU version the emulators print for --version, the host architecture from
/// their ELF header, the build time from the newest mtime, the digest from a SHA256SUMS-style listing. Files that
/// change between opening and reading fail their digest check.
/// </summary>
public sealed class EmulatorFolder : SinglePassPackage
{
    private readonly IReadOnlyList<FolderFile> files;

    private EmulatorFolder(PackageIdentity identity, IReadOnlyList<FolderFile> files)
    {
        Identity = identity;
        this.files = files;
    }

    /// <inheritdoc />
    public override PackageIdentity Identity { get; }

    /// <summary>None: a folder is the local use, taken as given; each file is only checked unchanged since it was listed.</summary>
    public override PackageChecks Checks => PackageChecks.None;

    /// <summary>Reads the folder at <paramref name="path"/>: lists and hashes the emulators; problems are user errors naming it.</summary>
    public static EmulatorFolder Open(string path) => PackageErrors.Guard(path, () => OpenChecked(path));

    /// <inheritdoc />
    protected override IEnumerable<PackageEntry> Read(CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Again just before opening: a file swapped for a FIFO since the folder was opened must not block.
            PackageErrors.Guard(Identity.Path, () => CheckRegular(file.EntryPath, FileTypes.OfLink(file.FullPath)));
            using var stream = SequentialFile.OpenRead(file.FullPath);
            var expected = new ExpectedDigest(HashAlgorithmName.SHA256, file.Sha256, "the digest taken when the folder was opened");
            var entry = new PackageEntry
            {
                Path = file.EntryPath,
                Type = ArchiveEntryType.RegularFile,
                Mode = OperatingSystem.IsWindows() ? ReproducibleTar.Executable : File.GetUnixFileMode(file.FullPath),
                Size = file.Size,
                Content = new EntryContent(stream, file.Size, Identity.Path, file.EntryPath, expected),
            };
            yield return entry;
            entry.Content.Expire();
        }
    }

    private static EmulatorFolder OpenChecked(string path)
    {
        var root = Path.GetFullPath(path);
        var isPackageRoot = FolderInside(root, QemuLayout.EmulatorFolder);
        var candidates = isPackageRoot
            ? Emulators(root, QemuLayout.EmulatorFolder)
                .Concat(QemuLayout.BinfmtFolders.SelectMany(folder => List(root, folder, "*.conf")))
            : Emulators(root, "");
        var files = new List<FolderFile>();
        var probe = new QemuVersionProbe();
        (TargetArch Host, string EntryPath)? first = null;
        foreach (var (listed, full) in candidates.OrderBy(c => c.EntryPath, StringComparer.Ordinal))
        {
            var entryPath = isPackageRoot ? listed : $"{QemuLayout.EmulatorFolder}/{listed}";
            var type = FileTypes.OfLink(full);
            if (type == FileType.SymbolicLink)
            {
                CheckLink(root, listed, entryPath, full, isPackageRoot);
                continue;
            }

            CheckRegular(listed, type);
            var info = new FileInfo(full);
            var isEmulator = QemuLayout.EmulatorNameOfFile(info.Name) is not null;
            var (sha256, header) = Hash(full, isEmulator ? probe : null);
            if (isEmulator && ArchitectureTable.FromElfHeader(header) is { } host)
            {
                first ??= (host, entryPath);
                if (first.Value.Host != host)
                {
                    throw new InvalidDataException(
                        $"emulators for different hosts: {first.Value.EntryPath} is for {first.Value.Host.Name}, {entryPath} is for {host.Name}");
                }
            }

            files.Add(new FolderFile(entryPath, full, info.Length, sha256, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds()));
        }

        var emulators = files.Where(f => QemuLayout.EmulatorName(f.EntryPath) is not null).ToList();
        if (emulators.Count > 0 && probe.Version is null)
        {
            throw new InvalidDataException($"no QEMU version string ('qemu-ARCH version X') found in {emulators[0].EntryPath}");
        }

        var listing = string.Concat(files.Select(f => $"{f.Sha256}  {f.EntryPath}\n"));
        var identity = new PackageIdentity(
            Path: path,
            Format: PackageFormat.Folder,
            Name: Path.GetFileName(Path.TrimEndingDirectorySeparator(root)),
            Epoch: null,
            Version: probe.Version ?? "",
            Release: "",
            Arch: first?.Host.Name ?? "",
            BuildTime: files.Count > 0 ? files.Max(f => f.ModificationTime) : null,
            Size: files.Sum(f => f.Size),
            Sha256: Sha256Hex.Of(Encoding.UTF8.GetBytes(listing)));
        return new EmulatorFolder(identity, files);
    }

    /// <summary>
    /// The emulators in <paramref name="folder"/>: every <c>qemu-ARCH-static</c> and <c>qemu-ARCH</c> file; where both names
    /// of one emulator are regular files (an installed machine's /usr/bin with old and new packages), the explicit
    /// <c>-static</c> one.
    /// </summary>
    private static IEnumerable<(string EntryPath, string FullPath)> Emulators(string root, string folder)
    {
        var named = List(root, folder, QemuLayout.EmulatorPattern)
            .Select(c => (Candidate: c, Name: QemuLayout.EmulatorNameOfFile(Path.GetFileName(c.FullPath))))
            .Where(c => c.Name is not null)
            .Select(c => (c.Candidate, c.Name, IsStaticName: Path.GetFileName(c.Candidate.FullPath) == QemuNames.EmulatorFileName(c.Name!)))
            .ToList();
        var staticFiles = named
            .Where(c => c.IsStaticName && new FileInfo(c.Candidate.FullPath).LinkTarget is null)
            .Select(c => c.Name)
            .ToHashSet(StringComparer.Ordinal);
        return named.Where(c => c.IsStaticName || !staticFiles.Contains(c.Name)).Select(c => c.Candidate);
    }

    private static IEnumerable<(string EntryPath, string FullPath)> List(string root, string folder, string pattern) =>
        folder.Length == 0 || FolderInside(root, folder)
            ? Directory.EnumerateFiles(Path.Combine(root, folder), pattern).Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), f))
            : [];

    /// <summary>
    /// True when <paramref name="folder"/> (relative, <c>usr/lib/binfmt.d</c>) is a real folder inside the root, false when
    /// it is missing or a file. A symbolic link on the way is refused whatever it points at: following one would read
    /// outside the input (usr/bin -&gt; /usr/bin publishes the machine's own emulators), and a package root has none.
    /// </summary>
    private static bool FolderInside(string root, string folder)
    {
        var path = root;
        var walked = "";
        foreach (var part in folder.Split('/'))
        {
            path = Path.Combine(path, part);
            walked = walked.Length == 0 ? part : $"{walked}/{part}";
            switch (FileTypes.OfLink(path))
            {
                case FileType.SymbolicLink:
                    throw new InvalidDataException(
                        $"{walked} is a symbolic link (to {new FileInfo(path).LinkTarget}): the folders of a folder input must be real folders, links are not followed");
                case not FileType.Directory:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Only regular files are read: a FIFO or a device named like an emulator would block the read for ever.</summary>
    private static void CheckRegular(string entryPath, FileType type)
    {
        if (type != FileType.RegularFile)
        {
            throw new InvalidDataException($"{entryPath} is {FileTypes.Describe(type)}, not a regular file");
        }
    }

    /// <summary>A link must resolve inside the folder, and one named like an emulator must be an alias of that same emulator.</summary>
    private static void CheckLink(string root, string listed, string entryPath, string full, bool isPackageRoot)
    {
        var target = Path.GetFullPath(File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full);
        if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"link '{listed}' -> '{target}' leads outside the folder");
        }

        var inside = Path.GetRelativePath(root, target).Replace('\\', '/');
        QemuLayout.CheckEmulatorLink(entryPath, isPackageRoot ? inside : $"{QemuLayout.EmulatorFolder}/{inside}");
    }

    private static (string Sha256, byte[] Header) Hash(string path, QemuVersionProbe? probe)
    {
        using var stream = SequentialFile.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        byte[]? header = null;
        int count;
        while ((count = stream.Read(buffer)) > 0)
        {
            header ??= buffer.AsSpan(0, Math.Min(count, 64)).ToArray();
            hash.AppendData(buffer, 0, count);
            probe?.Append(buffer.AsSpan(0, count));
        }

        return (Convert.ToHexStringLower(hash.GetCurrentHash()), header ?? []);
    }

    private sealed record FolderFile(string EntryPath, string FullPath, long Size, string Sha256, long ModificationTime);
}
