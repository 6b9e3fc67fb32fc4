using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Tarballs;

/// <summary>
/// The work of step 1 (<see cref="TarballsStep"/>): turns qemu-user-static packages into release files — for every
/// emulator <c>qemu-ARCH-static</c> (0755), <c>qemu-ARCH-static.tar.gz</c> and
/// <c>FROMARCH_qemu-ARCH-static.tar.gz</c> (the same bytes, compressed once) — plus <c>SHA256SUMS</c> and
/// <c>manifest.json</c>. Same inputs, same bytes; all or nothing.
/// </summary>
internal static class TarballsWriter
{
    /// <summary>
    /// Reads <see cref="TarballsOptions.Inputs"/>, checks everything they carry, and writes the release files to
    /// <see cref="TarballsOptions.Output"/>; returns the manifest written. Every problem is a one-line
    /// <see cref="UserException"/>, and a failed run leaves no file behind.
    /// </summary>
    public static async Task<ReleaseManifest> WriteAsync(TarballsOptions options, Reporter reporter, CancellationToken cancellationToken = default)
    {
        if (options.Inputs.Count == 0)
        {
            throw new UserException("no input given (--input PACKAGE_OR_FOLDER)");
        }

        var wanted = options.Targets is null ? null : Wanted(options.Targets);
        var sources = new List<IPackageFile>();
        var verifications = new List<SourceVerification>();
        try
        {
            using (reporter.Phase("Reading packages"))
            {
                foreach (var input in options.Inputs)
                {
                    var source = PackageFile.Open(input);
                    sources.Add(source);
                    var verification = new SourceVerification(source, options.AllowUnverified);
                    verification.CheckWhole();
                    verifications.Add(verification);
                    reporter.Line($"{input}: {source.Identity} (sha256 {source.Identity.Sha256})");
                    reporter.Line(verification.Plan());
                }
            }

            var facts = InputFacts.Of(sources.Select(s => s.Identity).ToList(), options.FromArch, options.SourceDateEpoch);
            using var staging = StagedOutput.IntoFolder(options.Output);
            // The names every run writes are checked before the work, the emulators' once they are known (Commit).
            staging.CheckReplaceable([Sha256Sums.FileName, SpdxDocument.FileName, ReleaseManifest.FileName]);
            var pipeline = new TarballPipeline(staging, facts, wanted, options, reporter);
            using (reporter.Phase($"Writing tarballs for {facts.FromArch} to {staging.Target}"))
            {
                await pipeline.RunAsync(verifications, cancellationToken);
            }

            CheckFound(pipeline.Emulators.Keys, pipeline.EmulatorLinks, wanted, options);
            var manifest = new ReleaseManifest
            {
                QemuVersion = facts.Version.QemuVersion,
                PackageVersion = facts.Version.PackageVersion,
                TagVersion = facts.Version.TagVersion,
                FromArch = facts.FromArch,
                SourceDateEpoch = facts.SourceDateEpoch,
                AllowUnverified = options.AllowUnverified ? true : null,
                Sources = verifications.Select(ToSource).ToList(),
                Targets = pipeline.Targets(),
            };
            var files = manifest.Targets.SelectMany(t => t.Tarballs.Prepend(t.Binary)).ToList();
            var sbom = SpdxDocument.Write(manifest, name => Sha1Hex.OfFile(staging.PathOf(name)), Tool);
            Write(staging, SpdxDocument.FileName, sbom, facts.SourceDateEpoch);
            var sbomFile = new ManifestFile { Name = SpdxDocument.FileName, Size = sbom.Length, Sha256 = Sha256Hex.Of(sbom) };
            Write(staging, Sha256Sums.FileName, Sha256Sums.FormatBytes(files.Append(sbomFile)), facts.SourceDateEpoch);
            Write(staging, ReleaseManifest.FileName, manifest.ToJsonBytes(), facts.SourceDateEpoch);
            // manifest.json last: its presence marks a complete output folder.
            staging.Commit([.. files.Select(f => f.Name), SpdxDocument.FileName, Sha256Sums.FileName, ReleaseManifest.FileName]);
            foreach (var verification in verifications)
            {
                reporter.Line(verification.Outcome());
            }

            Report(manifest, staging.Target, reporter);
            return manifest;
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }

    /// <summary>The SPDX creator name of this tool: <c>qus-tarballs-</c> and the library's assembly version (fixed per release of the tools).</summary>
    private static string Tool => $"qus-tarballs-{typeof(TarballsWriter).Assembly.GetName().Version?.ToString(3)}";

    /// <summary>The emulator names (<c>aarch64</c>, <c>i386</c>) that <c>--targets</c> names, through the architecture table.</summary>
    public static IReadOnlySet<string> Wanted(IEnumerable<string> targets) =>
        OptionList.Items(targets)
            .Select(t => ArchitectureTable.Get(t, "--targets name").Emulator)
            .ToHashSet(StringComparer.Ordinal);

    private static void CheckFound(IEnumerable<string> found, IReadOnlyList<string> links, IReadOnlySet<string>? wanted, TarballsOptions options)
    {
        var names = found.ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0 && links.Count > 0)
        {
            throw new UserException(
                $"no emulators in {string.Join(", ", options.Inputs)}, only {links.Count} links to files they do not carry ({links[0]}, ...): " +
                "a transitional qemu-user-static? Debian's emulators are in qemu-user since 1:9.0.2+ds-7");
        }

        if (names.Count == 0)
        {
            throw new UserException(
                $"no qemu binaries ({QemuLayout.EmulatorFolder}/qemu-ARCH-static or qemu-ARCH{(wanted is null ? "" : " of --targets")}) found in {string.Join(", ", options.Inputs)}");
        }

        var missing = wanted?.Where(w => !names.Contains(w)).Order(StringComparer.Ordinal).ToList() ?? [];
        if (missing.Count > 0)
        {
            throw new UserException(
                $"--targets: {string.Join(", ", missing.Select(e => QemuNames.EmulatorFileName(e)))} not found in {string.Join(", ", options.Inputs)}");
        }
    }

    private static void Write(StagedOutput staging, string name, byte[] bytes, long mtime)
    {
        var path = staging.PathOf(name);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeSeconds(mtime).UtcDateTime);
    }

    private static ManifestPackage ToSource(SourceVerification verification) => ToSource(verification.Source.Identity) with
    {
        Trust = verification.Trust,
        Verified = verification.Made,
        Unverified = verification.UnverifiedFiles is { Count: > 0 } files ? files : null,
    };

    private static ManifestPackage ToSource(PackageIdentity package) => new()
    {
        File = package.FileName,
        Format = package.Format.ToString().ToLowerInvariant(),
        Name = package.Name,
        Epoch = package.Epoch,
        Version = package.Version,
        Release = package.Release,
        Arch = package.Arch,
        Size = package.Size,
        Sha256 = package.Sha256,
        BuildTime = package.BuildTime,
    };

    private static void Report(ReleaseManifest manifest, string output, Reporter reporter) =>
        reporter.Line($"wrote {manifest.Targets.Count} emulators of QEMU {manifest.QemuVersion} ({manifest.PackageVersion}, tag {manifest.TagVersion}) for {manifest.FromArch} to {output}");
}
