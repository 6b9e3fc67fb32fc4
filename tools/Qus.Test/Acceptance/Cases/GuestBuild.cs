namespace QemuUserStatic.Acceptance.Cases;

/// <summary>
/// 3. A build whose RUN step executes in the guest image succeeds. The original installed gcc with apt-get; without
/// network, a RUN running the guest's own programs (sh, uname) is the check.
/// </summary>
internal sealed class GuestBuild() : TestCase(3, settings =>
    "a build runs a RUN step in the guest")
{
    // Split in the Dockerfile so that the builder echoing the RUN line does not print the marker itself.
    private const string Marker = "qus-test-machine=";

    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        context.RequireBuilds();
        await context.EnsureRegisteredAsync(Registration.LatestPersistent, cancellationToken).ConfigureAwait(false);
        var guest = await context.Engine.GuestAsync(cancellationToken).ConfigureAwait(false);
        var dockerfile = $"FROM {guest.Name}\nRUN m=\"$(uname -m)\" && echo \"qus-test-\"\"machine=$m\" && test -n \"$m\"\n";
        var (output, _) = await context.Engine.BuildAsync("case3", dockerfile, cancellationToken).ConfigureAwait(false);
        CaseContext.Expect(output.Succeeded, $"the build failed: {output.LastError}");
        var machine = CaseContext.BuildOutputValue(output, Marker);
        CaseContext.Expect(machine is not null, "the build succeeded but its RUN step printed no machine name");
        context.ExpectMachine(machine!, "uname -m in the RUN step");
    }
}
