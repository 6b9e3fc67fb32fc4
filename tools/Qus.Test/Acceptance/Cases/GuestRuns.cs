namespace QemuUserStatic.Acceptance.Cases;

/// <summary>2. With the emulators registered (flag F), the foreign guest runs: <c>uname -m</c> prints the target.</summary>
internal sealed class GuestRuns() : TestCase(2, settings =>
    $"the guest runs: uname -m prints {settings.Target.Name}")
{
    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        await context.EnsureRegisteredAsync(Registration.LatestPersistent, cancellationToken).ConfigureAwait(false);
        var guest = await context.Engine.GuestAsync(cancellationToken).ConfigureAwait(false);
        var output = await context.Engine.RunAsync(new ContainerRun(guest, ["uname", "-m"]), cancellationToken).ConfigureAwait(false);
        context.ExpectUname(output, "uname -m in the guest");
    }
}
