namespace QemuUserStatic.Acceptance.Cases;

/// <summary>
/// 7. <c>latest --reset -p yes -c yes</c> registers with <c>flags: OCF</c>, and a setuid-root program in the guest,
/// run as uid 1000, keeps its effective uid 0: the kernel takes the credentials from the program, not from the
/// emulator (without C it would print 1000).
/// </summary>
internal sealed class CredentialFlag() : TestCase(7, settings =>
    $"latest --reset -p yes -c yes registers {settings.Target.EntryName} with flags: OCF; a setuid program keeps euid 0")
{
    /// <summary>The user the setuid program is run as.</summary>
    public const string User = "1000:1000";

    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        context.RequireOtherUsers();
        await context.RegisterAsync(Registration.LatestCredential, cancellationToken).ConfigureAwait(false);
        var witness = context.Settings.Witness;
        var guest = await context.Engine.GuestAsync(cancellationToken).ConfigureAwait(false);
        var setuid = await context.Engine.DeriveAsync(guest, "case7", witness.SetupScript, cancellationToken).ConfigureAwait(false);
        var output = await context.Engine.RunAsync(new ContainerRun(setuid, witness.Command) { User = User }, cancellationToken).ConfigureAwait(false);
        CaseContext.Expect(output.Succeeded, $"{witness.CopyPath} (setuid root, run as {User}) failed: {output.LastError}");
        var euid = output.StandardOutput.Trim();
        CaseContext.Expect(euid == "0",
            $"{witness.CopyPath} (setuid root, run as {User}) printed '{euid}', expected effective uid 0" +
            (euid == "1000" ? "; the credentials came from the emulator (busybox applets drop setuid privileges: give --setuid-witness a program that prints geteuid())" : ""));
    }
}
