using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Archives;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// Reads packages and writes tarballs at the same time: reader threads stream each package's payload
/// (decompress, check digests, write the emulator to the staging folder) while compressor threads gzip the
/// emulators written so far. Work passes between them as file names, so memory stays bounded whatever the
/// package size; the page cache carries the bytes.
/// </summary>
internal sealed class TarballPipeline(StagedOutput staging, InputFacts facts, IReadOnlySet<string>? wanted, TarballsOptions options, Reporter reporter)
{
    private const int MaxBinfmtConf = 64 * 1024;
    private readonly ConcurrentDictionary<string, (string Package, string Path)> claims = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> emulatorLinks = [];
    private readonly TargetArch host = ArchitectureTable.Get(facts.FromArch, "host architecture");
    private readonly ConcurrentDictionary<string, ExtractedEmulator> emulators = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ManifestFile>> tarballs = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<FoundBinfmt> binfmts = [];
    private readonly BlockingCollection<ExtractedEmulator> queue = [];
    private readonly DateTimeOffset mtime = ReproducibleTar.Mtime(facts.SourceDateEpoch);
    private int written;
    private int compressed;

    /// <summary>The emulators written, by name.</summary>
    public IReadOnlyDictionary<string, ExtractedEmulator> Emulators => emulators;

    /// <summary>Links named like emulators (<c>package: path</c>) whose target no input carried as a regular file: a transitional package's.</summary>
    public IReadOnlyList<string> EmulatorLinks => [.. emulatorLinks.Order(StringComparer.Ordinal)];

    /// <summary>Extracts and compresses everything; the first real failure (not a cancellation it caused) is rethrown.</summary>
    public async Task RunAsync(IReadOnlyList<SourceVerification> sources, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new ConcurrentQueue<SourceVerification>(sources);
        var readers = Enumerable.Range(0, Math.Clamp(options.Parallelism, 1, sources.Count))
            .Select(_ => Start(() =>
            {
                while (pending.TryDequeue(out var source))
                {
                    Extract(source, cancel.Token);
                }
            }, cancel))
            .ToList();
        var compressors = Enumerable.Range(0, Math.Max(1, options.Parallelism))
            .Select(_ => Start(() =>
            {
                foreach (var emulator in queue.GetConsumingEnumerable(cancel.Token))
                {
                    Compress(emulator);
                }
            }, cancel))
            .ToList();
        var completed = Task.WhenAll(readers).ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var all = readers.Concat(compressors).ToList();
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            var causes = all.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            ExceptionDispatchInfo.Throw(causes.FirstOrDefault(e => e is not OperationCanceledException) ?? causes.FirstOrDefault() ?? new OperationCanceledException());
        }
        finally
        {
            await completed;
            queue.Dispose();
        }
    }

    /// <summary>The manifest targets: every emulator with its tarballs and binfmt entries, sorted by name.</summary>
    public IReadOnlyList<ManifestTarget> Targets()
    {
        var entries = BinfmtByEmulator();
        return emulators.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e =>
        {
            var found = entries.TryGetValue(e.Name, out var list) ? list : [];
            var primary = found.FirstOrDefault(b => b.Entry.Name == QemuNames.EntryName(e.Name)) ?? found.FirstOrDefault();
            var others = found.Where(b => b != primary).Select(ToManifest).ToList();
            return new ManifestTarget
            {
                Name = e.Name,
                Binary = e.Binary,
                Tarballs = tarballs[e.Name],
                Binfmt = primary is null ? null : ToManifest(primary),
                AdditionalBinfmt = others.Count > 0 ? others : null,
                Package = e.Package,
                VerifiedBy = e.VerifiedBy,
                Elf = e.Elf,
            };
        }).ToList();
    }

    private static Task Start(Action work, CancellationTokenSource cancel) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                work();
            }
            catch
            {
                cancel.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Extract(SourceVerification verification, CancellationToken cancellationToken)
    {
        var source = verification.Source;
        var package = source.Identity.FileName;
        foreach (var entry in source.ReadEntries(cancellationToken))
        {
            if (entry.Type is ArchiveEntryType.SymbolicLink or ArchiveEntryType.HardLink)
            {
                CheckLink(source, entry);
                continue;
            }

            if (entry.Type != ArchiveEntryType.RegularFile)
            {
                continue;
            }

            if (QemuLayout.EmulatorName(entry.Path) is { } name)
            {
                if (wanted is null || wanted.Contains(name))
                {
                    WriteEmulator(name, entry, package, verification.Take(entry), cancellationToken);
                }
            }
            else if (QemuLayout.IsBinfmtConf(entry.Path))
            {
                verification.Take(entry);
                ReadBinfmt(source.Identity.Path, package, entry);
            }
        }
    }

    /// <summary>
    /// A link named like an emulator is an alias of that same emulator (not published, remembered for the message on
    /// a transitional package) or refused: nothing named like an emulator is dropped without a word.
    /// </summary>
    private void CheckLink(IPackageFile source, PackageEntry entry)
    {
        if (QemuLayout.EmulatorName(entry.Path) is null)
        {
            return;
        }

        var path = source.Identity.Path;
        var target = entry.Type == ArchiveEntryType.HardLink
            ? entry.LinkTarget!
            : PackageErrors.Guard(path, () => EntryPath.Resolve(entry.Path, entry.LinkTarget!));
        PackageErrors.Guard(path, () => QemuLayout.CheckEmulatorLink(entry.Path, target));
        if (entry.Type == ArchiveEntryType.SymbolicLink)
        {
            emulatorLinks.Add($"{source.Identity.FileName}: {entry.Path} -> {entry.LinkTarget}");
        }
    }

    private void WriteEmulator(string name, PackageEntry entry, string package, string? verifiedBy, CancellationToken cancellationToken)
    {
        var fileName = QemuNames.EmulatorFileName(name);
        if (!claims.TryAdd(name, (package, entry.Path)))
        {
            var (earlier, earlierPath) = claims[name];
            throw new UserException(earlier == package
                ? $"{package}: two files for the emulator {fileName}: {earlierPath} and {entry.Path}"
                : $"{fileName} is in two inputs: {earlier} and {package}");
        }

        var path = staging.PathOf(fileName);
        using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            entry.Content.CopyTo(output, 1 << 20);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, ReproducibleTar.Executable);
        }

        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
        var elf = CheckElf(path, package, entry.Path);
        var emulator = new ExtractedEmulator(name, new ManifestFile { Name = fileName, Size = entry.Size, Sha256 = entry.Content.Sha256! }, package, elf, verifiedBy);
        emulators[name] = emulator;
        Interlocked.Increment(ref written);
        ShowProgress(fileName);
        queue.Add(emulator, cancellationToken);
    }

    /// <summary>
    /// The emulator's ELF facts, checked: statically linked (no PT_INTERP, no DT_NEEDED) and built for the release's
    /// host (class, byte order, e_machine); otherwise a one-line error naming the package and the file.
    /// </summary>
    private ManifestElf CheckElf(string path, string package, string entryPath)
    {
        ElfImage elf;
        try
        {
            elf = ElfImage.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new UserException($"{package}: {entryPath}: not an emulator: {ex.Message}");
        }

        if (!elf.IsStatic)
        {
            var needs = elf.Interpreter is null ? $"{elf.Needed} shared libraries" : $"the interpreter {elf.Interpreter}";
            throw new UserException(
                $"{package}: {entryPath} is dynamically linked (it needs {needs}), not a static emulator; " +
                "Debian's qemu-user is static from 1:9.0.2+ds-7 on, before that take qemu-user-static");
        }

        if (!elf.IsFor(host))
        {
            var builtFor = ArchitectureTable.All.FirstOrDefault(elf.IsFor)?.Name ?? "an unknown machine";
            throw new UserException(
                $"{package}: {entryPath} is built for {builtFor} ({elf.Describe()}), not for the release's host {host.Name} " +
                $"({ElfImage.Describe(host)})");
        }

        return new ManifestElf { Host = host.Name, Class = elf.Class, ByteOrder = elf.ByteOrder, Machine = elf.Machine, Linking = elf.Linking };
    }

    private void ReadBinfmt(string packagePath, string package, PackageEntry entry)
    {
        if (entry.Size > MaxBinfmtConf)
        {
            throw new UserException($"{packagePath}: {entry.Path} is {entry.Size} bytes, too large for a binfmt.d file");
        }

        using var buffer = new MemoryStream((int)entry.Size);
        entry.Content.CopyTo(buffer);
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0 && l[0] is not ('#' or ';')))
        {
            try
            {
                binfmts.Add(new FoundBinfmt(package, entry.Path, line, BinfmtEntry.ParseRegisterLine(line)));
            }
            catch (FormatException ex)
            {
                throw new UserException($"{packagePath}: {entry.Path}: not a binfmt_misc entry: {ex.Message}");
            }
        }
    }

    private void Compress(ExtractedEmulator emulator)
    {
        var fileName = emulator.Binary.Name;
        var tarballName = $"{fileName}.tar.gz";
        var copyName = $"{facts.FromArch}_{tarballName}";
        var tarball = TarballFile.Write(staging.PathOf(fileName), fileName, staging.PathOf(tarballName), mtime, options.CompressionLevel);
        File.Copy(staging.PathOf(tarballName), staging.PathOf(copyName));
        foreach (var name in new[] { tarballName, copyName })
        {
            File.SetLastWriteTimeUtc(staging.PathOf(name), mtime.UtcDateTime);
        }

        tarballs[emulator.Name] = [tarball, tarball with { Name = copyName }];
        Interlocked.Increment(ref compressed);
        reporter.Line($"{fileName}: {Megabytes(emulator.Binary.Size)}, {tarballName} {Megabytes(tarball.Size)}");
        ShowProgress(tarballName);
    }

    private void ShowProgress(string latest) =>
        reporter.Progress($"{Volatile.Read(ref written)} emulators extracted, {Volatile.Read(ref compressed)} compressed ({latest})");

    /// <summary>binfmt entries by the emulator that runs them, in a fixed order; conflicting duplicates are an error.</summary>
    private Dictionary<string, List<FoundBinfmt>> BinfmtByEmulator()
    {
        var byName = new Dictionary<string, FoundBinfmt>(StringComparer.Ordinal);
        foreach (var found in binfmts.OrderBy(b => b.Package, StringComparer.Ordinal).ThenBy(b => b.Source, StringComparer.Ordinal))
        {
            if (byName.TryGetValue(found.Entry.Name, out var earlier) && !earlier.Entry.SameAs(found.Entry))
            {
                throw new UserException(
                    $"conflicting binfmt_misc entries {found.Entry.Name}: {earlier.Package} {earlier.Source} and {found.Package} {found.Source}");
            }

            byName.TryAdd(found.Entry.Name, found);
        }

        return byName.Values
            .Select(b => (Emulator: EmulatorOf(b.Entry), Found: b))
            .Where(b => b.Emulator is not null && emulators.ContainsKey(b.Emulator))
            .GroupBy(b => b.Emulator!)
            .ToDictionary(g => g.Key, g => g.Select(b => b.Found).OrderBy(b => b.Entry.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>The emulator a binfmt entry runs: by its name through the architecture table, else by its interpreter's file name.</summary>
    private static string? EmulatorOf(BinfmtEntry entry)
    {
        var name = QemuNames.IsQemuEntry(entry.Name) ? entry.Name[QemuNames.Prefix.Length..] : entry.Name;
        return ArchitectureTable.All.FirstOrDefault(t => t.Name == name)?.Emulator
            ?? QemuLayout.EmulatorNameOfFile(Path.GetFileName(entry.Interpreter));
    }

    private static ManifestBinfmt ToManifest(FoundBinfmt found) =>
        new() { Name = found.Entry.Name, Source = found.Source, Line = found.Line };

    private static string Megabytes(long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB");
}
