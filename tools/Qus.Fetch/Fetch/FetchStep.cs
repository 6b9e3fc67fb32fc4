using System.Globalization;
using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Step 0 of the pipeline (qus-fetch): the pinned packages for every host, downloaded and verified (see
/// <see cref="Fetcher"/>); or the configuration printed, the version checked, the lock written.
/// </summary>
internal static class FetchStep
{
    /// <summary>Runs what <paramref name="options"/> ask; the result lines go on <see cref="Reporter.Results"/>.</summary>
    public static async Task<FetchResult> RunAsync(FetchOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var (configuration, request) = (options.Configuration, options.Request);
        if (options.PrintConfig)
        {
            var settings = PipelineSettings.Of(configuration, request);
            foreach (var (setting, value) in settings)
            {
                reporter.Results.WriteLine($"{setting}={value}");
            }

            // Ordered: the outputs and the document keep the settings' fixed order.
            return new FetchResult { Settings = new OrderedDictionary<string, string>(settings, StringComparer.Ordinal) };
        }

        var current = request.RequireVersion();
        using var http = QusHttp.CreateClient(RetryPolicy.Default, reporter);
        var downloader = new Downloader(http, new DownloadCache(options.Cache ?? DownloadCache.DefaultRoot), reporter, RetryPolicy.Default);
        if (options.IgnoreValidUntil)
        {
            reporter.Line("warning: --ignore-valid-until: expired InRelease files are accepted (their signatures are still checked)");
            request = request with { Debian = request.Debian with { CheckValidUntil = false } };
        }

        var lockPath = configuration.SourceFile is { } configFile ? PinLock.PathBeside(configFile) : null;
        var pins = request.Origin == PackageOrigin.Debian && lockPath is not null ? PinLock.ReadIfExists(lockPath) : null;
        var packageSource = PackageRepositories.Create(request, http, downloader, pins);

        Task LockAsync(QemuVersion pinned) =>
            PinLock.UpdateAsync(request.Origin, lockPath, pins, packageSource, pinned, request.Hosts, reporter, cancellationToken);

        if (options.Check)
        {
            var check = await VersionCheck.RunAsync(packageSource, current, request.Hosts, cancellationToken).ConfigureAwait(false);
            reporter.Results.WriteLine($"current: {check.Current}");
            reporter.Results.WriteLine($"latest: {check.Latest}");
            reporter.Line(check.Newer ? $"a newer QEMU package exists at {packageSource.Description}: {check.Latest}" : "the configured QEMU package is the newest stable one every host has");
            if (check.Lagging is { } lagging)
            {
                reporter.Line("note: " + lagging);
            }

            string? pinnedIn = null;
            if (check.Newer && options.Update)
            {
                pinnedIn = configuration.SourceFile ?? throw new UserException($"--update: no configuration file to update (none found; give --config or ${PipelineConfig.EnvironmentVariable})");
                await ConfigFileEditor.PinAsync(pinnedIn, check.Latest, cancellationToken).ConfigureAwait(false);
                reporter.Line($"pinned {check.Latest} in {pinnedIn}");
            }

            if (options.Update)
            {
                await LockAsync(check.Newer ? check.Latest : current).ConfigureAwait(false);
            }

            return new FetchResult { Check = FetchResult.VersionCheckOutcome.Of(check), PinnedIn = pinnedIn };
        }

        if (options.Update)
        {
            await LockAsync(current).ConfigureAwait(false);
            return new FetchResult { Locked = current.Full };
        }

        IPackageVerifier verifier = options.Keyring is { } key
            ? new CompositePackageVerifier([PackageReaderVerifier.Instance, new RpmSignatureVerifier(key)])
            : PackageReaderVerifier.Instance;
        var output = Path.GetFullPath(options.Output);
        var fetched = await new Fetcher(packageSource, downloader, verifier, reporter) { NewestIfGone = options.NewestIfGone }
            .FetchAsync(request.Origin, current, request.Hosts, output, cancellationToken).ConfigureAwait(false);
        foreach (var file in fetched.Files)
        {
            reporter.Results.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Name}  {file.Size}  sha256:{file.Sha256}  {string.Join(",", file.Checks)}"));
        }

        return new FetchResult { Output = output, Fetched = fetched };
    }
}
