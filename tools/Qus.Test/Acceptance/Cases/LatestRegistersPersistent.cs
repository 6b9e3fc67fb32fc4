namespace QemuUserStatic.Acceptance.Cases;

/// <summary>1. <c>latest --reset -p yes</c> registers the target with <c>flags: F</c>.</summary>
internal sealed class LatestRegistersPersistent() : TestCase(1, settings =>
    $"latest --reset -p yes registers {settings.Target.EntryName} with flags: F")
{
    /// <inheritdoc />
    public override Task RunAsync(CaseContext context, CancellationToken cancellationToken) =>
        context.RegisterAsync(Registration.LatestPersistent, cancellationToken);
}
