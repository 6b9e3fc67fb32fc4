namespace QemuUserStatic.Acceptance.Cases;

/// <summary>
/// 4. <c>register --reset</c> registers without flags: the kernel looks the interpreter up in each container when a
/// program starts, so the guest fails without one and runs with the images' own emulator bound in with
/// <c>-v HOST:/usr/bin/qemu-aarch64-static</c>. The bound file is the one of this host's emulator image, copied out of
/// it: the emulator under test, not whatever the machine may have installed.
/// </summary>
internal sealed class RegisterImageNeedsInterpreter() : TestCase(4, settings =>
    $"register --reset registers {settings.Target.EntryName} with no flags; the guest needs the emulator bound in")
{
    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        await context.RegisterAsync(Registration.RegisterImage, cancellationToken).ConfigureAwait(false);
        var guest = await context.Engine.GuestAsync(cancellationToken).ConfigureAwait(false);

        var without = await context.Engine.RunAsync(new ContainerRun(guest, ["uname", "-m"]), cancellationToken).ConfigureAwait(false);
        CaseContext.Expect(!without.Succeeded,
            $"the guest ran without an interpreter in the container (it printed '{without.StandardOutput.Trim()}'): " +
            $"does the guest image contain {context.EmulatorPath}?");
        CaseContext.Expect(without.AllOutput.Contains("no such file", StringComparison.OrdinalIgnoreCase),
            $"the guest failed, but not for want of the interpreter: {without.LastError}");

        var emulatorImage = await context.Engine.ImageAsync(context.HostTargetTag, cancellationToken).ConfigureAwait(false);
        var emulator = Path.Combine(context.WorkFolder, context.Target.EmulatorFileName());
        await context.Engine.CopyFromImageAsync(emulatorImage, context.EmulatorPath, emulator, cancellationToken).ConfigureAwait(false);
        var with = await context.Engine.RunAsync(
            new ContainerRun(guest, ["uname", "-m"]) { Mounts = [(emulator, context.EmulatorPath)] }, cancellationToken).ConfigureAwait(false);
        context.ExpectUname(with, $"uname -m in the guest with {context.EmulatorPath} bound in");
    }
}
