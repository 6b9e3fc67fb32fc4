using System.Diagnostics;
using QemuUserStatic.Acceptance.Docker;
using QemuUserStatic.Acceptance.Sandbox;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// Runs cases one after the other on an engine and collects their results. Whatever happens — a failed case, an
/// error, Ctrl-C — the engine's binfmt_misc table is put back as it was before the first case, and what could not be
/// put back is part of the report.
/// </summary>
internal sealed class AcceptanceRun(IContainerEngine engine, AcceptanceSettings settings, Transcript transcript, Reporter reporter, TextWriter results)
{
    /// <summary>
    /// Runs what <paramref name="request"/> asks on its engine in a temporary work folder: result lines and the summary
    /// line on <paramref name="results"/>, the transcript on the reporter, the JUnit file; returns the report.
    /// </summary>
    public static async Task<AcceptanceReport> ExecuteAsync(AcceptanceRequest request, Reporter reporter, TextWriter results, CancellationToken cancellationToken)
    {
        var transcript = new Transcript(reporter);
        var work = Directory.CreateTempSubdirectory("qus-test-").FullName;
        try
        {
            await using var engine = CreateEngine(request, transcript, reporter, work);
            var report = await new AcceptanceRun(engine, request.Settings, transcript, reporter, results)
                .RunAsync(request.Cases, work, cancellationToken).ConfigureAwait(false);
            await results.WriteLineAsync(report.Summary).ConfigureAwait(false);
            if (request.JUnitPath is not null)
            {
                await JUnitReport.WriteAsync(report, request.JUnitPath, CancellationToken.None).ConfigureAwait(false);
            }

            return report;
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>Runs <paramref name="cases"/>, writing each result line to the results writer as it ends.</summary>
    public async Task<AcceptanceReport> RunAsync(IReadOnlyList<TestCase> cases, string workFolder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var context = new CaseContext(engine, settings, transcript, workFolder);
        var done = new List<CaseResult>();
        IReadOnlyList<string> restoreFailures = [];
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var testCase in cases)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await RunCaseAsync(testCase, context, transcript, cancellationToken).ConfigureAwait(false);
                done.Add(result);
                await results.WriteLineAsync(result.ToLine()).ConfigureAwait(false);
                await results.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            // Not cancellable: an interrupted run must still leave the table as it found it.
            using (reporter.Phase("restoring binfmt_misc"))
            {
                restoreFailures = await engine.RestoreAsync(CancellationToken.None).ConfigureAwait(false);
                foreach (var failure in restoreFailures)
                {
                    reporter.Line($"qus-test: error: {failure}");
                }
            }
        }

        // How the engine ended up running things (a refused --privileged shows only once it was tried).
        reporter.Line($"engine: {engine.Description}");
        return new AcceptanceReport(engine.Name, engine.Description, settings, done, restoreFailures, started.Elapsed);
    }

    private async Task<CaseResult> RunCaseAsync(TestCase testCase, CaseContext context, Transcript transcript, CancellationToken cancellationToken)
    {
        var title = testCase.Title(settings);
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CaseTimeout);
        (CaseOutcome Outcome, string? Reason) ending;
        using (reporter.Phase($"case {testCase.Number}: {title}"))
        {
            try
            {
                await testCase.RunAsync(context, timeout.Token).ConfigureAwait(false);
                ending = (CaseOutcome.Passed, null);
            }
            catch (CaseNotApplicableException notApplicable)
            {
                ending = (CaseOutcome.NotApplicable, notApplicable.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ending = (CaseOutcome.Failed, $"timed out after {settings.CaseTimeout.TotalSeconds:0} s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever broke (a check, a tool, a file), it is this case's failure; the run goes on with the next.
                ending = (CaseOutcome.Failed, ex is CaseFailedException or UserException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
            }
        }

        return new CaseResult(testCase.Number, title, ending.Outcome, ending.Reason, watch.Elapsed, transcript.Take());
    }

    /// <summary>The engine <paramref name="request"/> asks for, working in <paramref name="work"/>.</summary>
    internal static IContainerEngine CreateEngine(AcceptanceRequest request, Transcript transcript, Reporter reporter, string work) =>
        request.Engine switch
        {
            EngineKind.Docker => new DockerEngine(request.Sources, request.Settings, request.Privilege, request.Network, transcript, reporter),
            _ when OperatingSystem.IsLinux() => new SandboxEngine(request.Sources, request.Settings, work, transcript, reporter),
            _ => throw new UserException("--engine sandbox needs Linux (user namespaces and binfmt_misc)"),
        };

    /// <summary>Deletes a work folder; one an image made read-only is made writable again to go.</summary>
    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (UnauthorizedAccessException) when (OperatingSystem.IsLinux())
        {
            foreach (var path in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead);
            }

            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a run for.
        }
    }
}
