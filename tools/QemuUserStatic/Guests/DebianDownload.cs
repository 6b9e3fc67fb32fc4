using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Guests;

/// <summary>
/// One Debian package of any architecture (busybox-static for arm64, a guest userland) downloaded by apt-get into a
/// cache folder, with apt's own lists in a scratch folder: the machine's apt state is untouched, and every list is
/// verified as apt always does (Debian's archive keyring for <see cref="SuiteSources"/>). The local pipeline's busybox
/// images and the tests' fixtures both come from here.
/// </summary>
public static class DebianDownload
{
    /// <summary>Debian's own mirror.</summary>
    public static readonly string DefaultMirror = DebianRepositoryConfig.DefaultMirror.AbsoluteUri.TrimEnd('/');

    /// <summary>The keyring the suites' lists are checked against (package debian-archive-keyring).</summary>
    public const string Keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    /// <summary>The package of <see cref="Keyring"/> (a runner of another distribution lacks it).</summary>
    public const string KeyringPackage = "debian-archive-keyring";

    /// <summary>
    /// The suites a package is looked for in when none is named: trixie, the stable release that builds every official
    /// architecture, then sid for the newer ones (loong64).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultSuites = ["trixie", "sid"];

    /// <summary>The mirror of this run: <c>$QUS_DEBIAN_MIRROR</c>, else <see cref="DefaultMirror"/>.</summary>
    public static string ConfiguredMirror =>
        Environment.GetEnvironmentVariable("QUS_DEBIAN_MIRROR") is { Length: > 0 } mirror ? mirror : DefaultMirror;

    /// <summary>
    /// An apt sources.list for <paramref name="suite"/> of <paramref name="mirror"/>, with <paramref name="updates"/> its
    /// -updates and -security suites for a stable release (sid, unstable and experimental have none).
    /// </summary>
    public static string SuiteSources(string suite, string? mirror = null, bool updates = true)
    {
        mirror ??= DefaultMirror;
        var lines = $"deb [signed-by={Keyring}] {mirror} {suite} main\n";
        if (updates && suite is not ("sid" or "unstable" or "experimental"))
        {
            lines += $"deb [signed-by={Keyring}] {mirror} {suite}-updates main\n" +
                     $"deb [signed-by={Keyring}] {mirror}-security {suite}-security main\n";
        }

        return lines;
    }

    /// <summary>
    /// The .deb of <paramref name="package"/> for <paramref name="debianArch"/> (amd64, arm64, …) in
    /// <paramref name="folder"/>, downloaded when the folder has none: from the first of <paramref name="sources"/>
    /// (sources.list texts; null for the machine's own apt sources) that has it. Nothing is left half-written: the
    /// folder appears whole or not at all. A package no source has is a user error naming it.
    /// </summary>
    public static async Task<string> DownloadAsync(
        string package, string debianArch, string folder, IReadOnlyList<string?> sources, CancellationToken cancellationToken = default)
    {
        if (Cached(folder, package) is { } cached)
        {
            return cached;
        }

        // Staged beside the folder and swapped in whole (StagedOutput), so a run killed half-way or a parallel one
        // leaves nothing a later run could take for a download.
        using var staged = StagedOutput.ReplacingFolder(folder);
        var staging = staged.Path;
        foreach (var sourceList in sources)
        {
            var lists = Path.Combine(staging, "lists");
            if (Directory.Exists(lists))
            {
                Directory.Delete(lists, recursive: true);
            }

            Directory.CreateDirectory(Path.Combine(lists, "partial"));
            List<string> options =
            [
                $"-oAPT::Architecture={debianArch}", $"-oAPT::Architectures={debianArch}", $"-oDir::State::Lists={lists}",
                $"-oDir::Cache::Archives={staging}", "-oDebug::NoLocking=1", "-oAcquire::Check-Valid-Until=false",
                // apt's _apt user may not reach a cache under /root.
                "-oAPT::Sandbox::User=root",
            ];
            if (sourceList is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(staging, "sources.list"), sourceList, cancellationToken).ConfigureAwait(false);
                options.AddRange([$"-oDir::Etc::SourceList={staging}/sources.list", "-oDir::Etc::SourceParts=/dev/null", "-oDir::State::status=/dev/null"]);
            }

            var update = await Apt([.. options, "-qq", "update"], staging, cancellationToken).ConfigureAwait(false);
            if (update.Succeeded)
            {
                await Apt([.. options, "-qq", "download", $"{package}:{debianArch}"], staging, cancellationToken).ConfigureAwait(false);
            }

            if (Directory.GetFiles(staging, package + "_*.deb").Length > 0)
            {
                KeepOnlyPackages(staging);
                staged.Commit();
                return Cached(folder, package)!;
            }
        }

        throw new UserException($"apt-get could not download {package}:{debianArch} ({(sources.Any(s => s is null) ? "the machine's apt sources" : "Debian's mirror")})");
    }

    /// <summary>
    /// The .deb of <paramref name="package"/> for <paramref name="debianArch"/> from <paramref name="suite"/> of
    /// <paramref name="mirror"/> (with its -updates and -security suites), or without a suite from the first of
    /// <see cref="DefaultSuites"/> that has it; cached in <paramref name="cache"/> as <c>deb-SUITE-PACKAGE-ARCH</c>
    /// (<c>deb-PACKAGE-ARCH</c> without a suite).
    /// </summary>
    public static Task<string> FromSuiteAsync(
        string package, string debianArch, string? suite, string cache, string mirror, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string?> sources = suite is null
            ? [.. DefaultSuites.Select(s => SuiteSources(s, mirror, updates: false))]
            : [SuiteSources(suite, mirror)];
        var folder = Path.Combine(cache, suite is null ? $"deb-{package}-{debianArch}" : $"deb-{suite}-{package}-{debianArch}");
        return DownloadAsync(package, debianArch, folder, sources, cancellationToken);
    }

    private static Task<ProcessOutput> Apt(IReadOnlyList<string> arguments, string folder, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync("apt-get", arguments, installHint: "a Debian-like system", cancellationToken: cancellationToken, workingDirectory: folder);

    private static string? Cached(string folder, string package) =>
        Directory.Exists(folder) && Directory.GetFiles(folder, package + "_*.deb") is [var deb] ? deb : null;

    private static void KeepOnlyPackages(string staging)
    {
        File.Delete(Path.Combine(staging, "sources.list"));
        Directory.Delete(Path.Combine(staging, "lists"), recursive: true);
        foreach (var file in Directory.GetFiles(staging, "*.deb"))
        {
            // apt escapes the epoch in the file name (1%3a7.2...); keep Debian's pool name, which has no epoch.
            var name = Path.GetFileName(file);
            var epoch = name.IndexOf("%3a", StringComparison.Ordinal);
            if (epoch > 0)
            {
                var versionStart = name.IndexOf('_', StringComparison.Ordinal) + 1;
                File.Move(file, Path.Combine(staging, name[..versionStart] + name[(epoch + 3)..]));
            }
        }
    }
}
