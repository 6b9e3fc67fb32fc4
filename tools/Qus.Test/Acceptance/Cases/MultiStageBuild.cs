namespace QemuUserStatic.Acceptance.Cases;

/// <summary>
/// 6. Integration: a multi-stage build copies the emulator out of the <c>x86_64-aarch64</c> image into the guest
/// (<c>COPY --from</c>), and the result runs <c>uname -m</c>. It runs with the <c>register</c> image's registration
/// (no flag F), where the kernel takes the interpreter from the container: the copied emulator is what runs it.
/// </summary>
internal sealed class MultiStageBuild() : TestCase(6, settings =>
    $"COPY --from={settings.HostArch}-{settings.Target.Name} into the guest, then uname -m prints {settings.Target.Name}")
{
    /// <inheritdoc />
    public override async Task RunAsync(CaseContext context, CancellationToken cancellationToken)
    {
        context.RequireBuilds();
        await context.EnsureRegisteredAsync(Registration.RegisterImage, cancellationToken).ConfigureAwait(false);
        var emulator = await context.Engine.ImageAsync(context.HostTargetTag, cancellationToken).ConfigureAwait(false);
        var guest = await context.Engine.GuestAsync(cancellationToken).ConfigureAwait(false);
        var dockerfile = $"FROM {emulator.Name} AS qemu\nFROM {guest.Name}\nCOPY --from=qemu {context.EmulatorPath} /usr/bin/\n";
        var (build, image) = await context.Engine.BuildAsync("case6", dockerfile, cancellationToken).ConfigureAwait(false);
        CaseContext.Expect(build.Succeeded, $"the build failed: {build.LastError}");
        var output = await context.Engine.RunAsync(new ContainerRun(image, ["uname", "-m"]), cancellationToken).ConfigureAwait(false);
        context.ExpectUname(output, "uname -m in the built image");
    }
}
