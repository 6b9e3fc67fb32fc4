using QemuUserStatic.Acceptance.Guests;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Guests;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// Step 4 of the pipeline (qus-test): the acceptance cases (<see cref="AcceptanceRun"/>) or the guest set
/// (<see cref="GuestMatrixRun"/>, the set built first with <see cref="TestOptions.GuestCache"/>) on an engine; a result line per case as it ends.
/// </summary>
internal static class TestStep
{
    /// <summary>Runs what <paramref name="options"/> ask; the result's exit code is 0 only when nothing failed and binfmt_misc was restored.</summary>
    public static async Task<TestResult> RunAsync(TestOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var request = options.Request;
        if (!options.RunsGuests)
        {
            return TestResult.Of(await AcceptanceRun.ExecuteAsync(request, reporter, reporter.Results, cancellationToken).ConfigureAwait(false), request.JUnitPath);
        }

        var folder = options.Guests
            ?? await GuestSetBuilder.ForGuestTable().BuildAsync(options.GuestCache!, reporter, cancellationToken).ConfigureAwait(false);
        var hosts = options.GuestHosts.Count > 0 ? options.GuestHosts : [ArchitectureTable.Get(request.Settings.HostArch, "host")];
        var report = await GuestMatrixRun.ExecuteAsync(request, GuestSet.Load(folder), hosts, reporter, reporter.Results, cancellationToken).ConfigureAwait(false);
        return TestResult.Of(report, request.JUnitPath);
    }
}
