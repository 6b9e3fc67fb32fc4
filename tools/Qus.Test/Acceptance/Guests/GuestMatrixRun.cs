using System.Diagnostics;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance.Guests;

/// <summary>
/// A qus-test run of the guest set on every host (<c>--guests</c>): result lines as each target ends, the closing line
/// and JUnit; the engine's binfmt_misc table is put back whatever happens.
/// </summary>
internal static class GuestMatrixRun
{
    /// <summary>Runs <paramref name="guests"/> on <paramref name="hosts"/> (this machine's first); returns the report.</summary>
    public static async Task<GuestMatrixReport> ExecuteAsync(
        AcceptanceRequest request, GuestSet guests, IReadOnlyList<TargetArch> hosts, Reporter reporter, TextWriter results, CancellationToken cancellationToken)
    {
        var transcript = new Transcript(reporter);
        var work = Directory.CreateTempSubdirectory("qus-test-").FullName;
        var started = Stopwatch.StartNew();
        try
        {
            await using var engine = AcceptanceRun.CreateEngine(request, transcript, reporter, work);
            var matrix = new GuestMatrix(engine, request.Settings, guests.CopyTo(Path.Combine(work, "guests")), transcript, work);
            var done = new List<GuestResult>();
            IReadOnlyList<string> restoreFailures = [];
            await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // This machine's own release first: the others run under its emulators.
                foreach (var host in hosts.OrderBy(h => h.Name == request.Settings.HostArch ? 0 : 1))
                {
                    using (reporter.Phase($"guests with the {host.Name} release's emulators"))
                    {
                        done.AddRange(await matrix.RunHostAsync(host, async result =>
                        {
                            await results.WriteLineAsync(result.ToLine()).ConfigureAwait(false);
                            await results.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                        }, cancellationToken).ConfigureAwait(false));
                    }
                }
            }
            finally
            {
                using (reporter.Phase("restoring binfmt_misc"))
                {
                    restoreFailures = await engine.RestoreAsync(CancellationToken.None).ConfigureAwait(false);
                    foreach (var failure in restoreFailures)
                    {
                        reporter.Line($"qus-test: error: {failure}");
                    }
                }
            }

            var report = new GuestMatrixReport(
                engine.Name, engine.Description, request.Settings.HostArch,
                [.. hosts.OrderBy(h => h.Name == request.Settings.HostArch ? 0 : 1).Select(h => h.Name)], done, restoreFailures, started.Elapsed);
            await results.WriteLineAsync(report.Summary).ConfigureAwait(false);
            if (request.JUnitPath is not null)
            {
                await JUnitReport.WriteAsync(report.ToJUnit(), request.JUnitPath, CancellationToken.None).ConfigureAwait(false);
            }

            return report;
        }
        finally
        {
            AcceptanceRun.TryDelete(work);
        }
    }
}
