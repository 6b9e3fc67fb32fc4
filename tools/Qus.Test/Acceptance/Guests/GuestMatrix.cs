using System.Diagnostics;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Guests;
using QemuUserStatic.Images;

namespace QemuUserStatic.Acceptance.Guests;

/// <summary>
/// Runs every guest of a <see cref="GuestSet"/> transparently through binfmt_misc (the guest is started as a
/// program, never as <c>qemu-X guest</c>) with the emulators of one host's release, on an engine. This machine's
/// release is registered by its <c>latest</c> image as users run it (<c>--reset -p yes</c>); another host's emulators
/// (copied out of that host's <c>latest</c>) are then registered by the same script with <c>--qemu-path</c>, so each
/// runs under this machine's emulator for that host: aarch64's qemu-riscv64-static under qemu-aarch64-static.
/// </summary>
internal sealed class GuestMatrix(IContainerEngine engine, AcceptanceSettings settings, GuestSet guests, Transcript transcript, string workFolder)
{
    /// <summary>How long one guest may run (a hanging emulator fails its target, not the whole run).</summary>
    public static readonly TimeSpan GuestTimeout = TimeSpan.FromSeconds(60);

    // Where another host's emulators are bound into the registering container.
    private const string HostEmulatorFolder = "/qus-host-emulators";

    // Where the guest is bound into the container (then -TARGET): busybox runs as busybox for a name starting with "busybox".
    private const string GuestPath = "/busybox-qus-guest";

    /// <summary>How many guests of one host run at once: start-up (a nested emulator translating another) is CPU-bound.</summary>
    public static int Parallelism => Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>
    /// Registers <paramref name="host"/>'s emulators and runs every guest with them, calling <paramref name="done"/> as
    /// each target ends; returns every target's result, sorted by target.
    /// </summary>
    public async Task<IReadOnlyList<GuestResult>> RunHostAsync(TargetArch host, Func<GuestResult, Task> done, CancellationToken cancellationToken)
    {
        var platform = host.Platform ?? throw new UserException($"--guest-hosts {host.Name}: no container image platform exists for it");
        var started = Stopwatch.StartNew();
        var (local, emulators) = await ReleaseAsync(host, platform, cancellationToken).ConfigureAwait(false);

        // The published targets (one row per emulator; i486 shares qemu-i386-static) the host's latest carries.
        var targets = ArchitectureTable.All.Where(t => t.Name == t.Emulator && File.Exists(Path.Combine(emulators, t.EmulatorFileName()))).ToList();
        var machineFamily = ArchitectureTable.FamilyOf(settings.HostArch);
        var foreign = targets.Where(t => t.Family != machineFamily).Select(t => t.Name).ToList();
        var failure = await RegisterAsync(local, ["--reset", "-p", "yes"], [], cancellationToken).ConfigureAwait(false);
        if (failure is null && host.Name != settings.HostArch && foreign.Count > 0)
        {
            failure = await RegisterAsync(
                local, ["-p", "yes", "--qemu-path", HostEmulatorFolder, .. foreign], [(emulators, HostEmulatorFolder)], cancellationToken).ConfigureAwait(false);
        }

        var setUp = transcript.Take();
        var mounts = host.Name == settings.HostArch ? (IReadOnlyList<(string, string)>)[] : [(emulators, HostEmulatorFolder)];
        // The guests are independent: they run at once, a few at a time, and are reported in target order.
        using var slots = new SemaphoreSlim(Parallelism);
        var runs = targets.Select(target =>
            target.Family == machineFamily && host.Name == settings.HostArch
                ? Task.FromResult(Skipped(host, target, GuestOutcome.Native, $"this {settings.HostArch} machine runs {target.Name} natively: registering it would send every program to QEMU"))
                : failure is not null
                    ? Task.FromResult(new GuestResult(host.Name, target.Name, GuestOutcome.Failed, $"{target.Name} on {host.Name}: {failure}", started.Elapsed, setUp))
                    : InSlotAsync(slots, () => RunGuestAsync(host, target, local, mounts, target.Family == machineFamily, cancellationToken), cancellationToken)).ToList();
        var results = new List<GuestResult>();
        try
        {
            foreach (var run in runs)
            {
                var result = await run.ConfigureAwait(false);
                results.Add(result);
                await done(result).ConfigureAwait(false);
            }
        }
        finally
        {
            // What the runs added is in their results; whatever is left (a cancelled run's) starts no later transcript.
            await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            transcript.Take();
        }

        return results;
    }

    /// <summary>
    /// This machine's latest image (it registers) and the folder holding <paramref name="host"/>'s emulators, copied out
    /// of its latest image. No guest has run yet, so an image that cannot be had (a registry that does not answer, a
    /// layout without the tag) is not a failed case but an input the run cannot use: one line.
    /// </summary>
    private async Task<(EngineImage Local, string Emulators)> ReleaseAsync(TargetArch host, OciPlatform platform, CancellationToken cancellationToken)
    {
        try
        {
            var local = await engine.ImageAsync(ImageSetTags.Latest, cancellationToken).ConfigureAwait(false);
            var latest = await engine.ImageAsync(ImageSetTags.Latest, platform, cancellationToken).ConfigureAwait(false);
            var emulators = Path.Combine(workFolder, "emulators-" + host.Name);
            await engine.CopyFromImageAsync(latest, "/usr/bin", emulators, cancellationToken).ConfigureAwait(false);
            return (local, emulators);
        }
        catch (CaseFailedException ex)
        {
            throw new UserException($"guests with the {host.Name} release's emulators: {ex.Message}");
        }
    }

    private static async Task<GuestResult> InSlotAsync(SemaphoreSlim slots, Func<Task<GuestResult>> run, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await run().ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<string?> RegisterAsync(
        EngineImage image, IReadOnlyList<string> arguments, IReadOnlyList<(string, string)> mounts, CancellationToken cancellationToken)
    {
        var output = await engine.RunAsync(new ContainerRun(image, arguments) { Privileged = true, Mounts = mounts }, cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? null : $"latest {string.Join(' ', arguments)} failed: {output.LastError}";
    }

    // A nested emulator is started by this machine's from its path (flag F holds only the outer file open), so another
    // host's emulators stay bound at the path they were registered with. A guest of this machine's own family on
    // another host cannot go through binfmt_misc (its entry would catch this machine's emulators too, a loop): that
    // host's emulator is started as the program (itself run through binfmt_misc) and given the guest.
    private async Task<GuestResult> RunGuestAsync(
        TargetArch host, TargetArch target, EngineImage image, IReadOnlyList<(string, string)> mounts, bool explicitEmulator, CancellationToken cancellationToken)
    {
        var spec = GuestTable.For(target.Name);
        var file = guests.FileOf(target.Name);
        if (spec is null || file is null)
        {
            return Skipped(host, target, GuestOutcome.NoGuest,
                spec is null ? $"Debian has no guest program for {target.Name}: its emulator is registered, not run" : $"no {target.Name} file in {guests.Folder}");
        }

        // One path per target: parallel runs never share a bind's mount point.
        var guestPath = GuestPath + "-" + target.Name;
        var run = explicitEmulator
            ? new ContainerRun(image, [guestPath, .. spec.Arguments]) { Entrypoint = $"{HostEmulatorFolder}/{target.EmulatorFileName()}" }
            : new ContainerRun(image, spec.Arguments) { Entrypoint = guestPath };
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GuestTimeout);
        string? reason;
        var ran = "";
        try
        {
            var output = await engine.RunAsync(run with { Mounts = [.. mounts, (file, guestPath)] }, timeout.Token).ConfigureAwait(false);
            ran = output.Transcript();
            reason = output.Succeeded && output.StandardOutput == spec.ExpectedOutput
                ? null
                : $"{target.Name} on {host.Name}: the {spec.Kind.ToString().ToLowerInvariant()} guest " +
                  (output.Succeeded ? "" : $"ended with exit code {output.ExitCode} and ") +
                  $"printed '{ShownText.Of(output.StandardOutput)}', expected '{ShownText.Of(spec.ExpectedOutput)}'" +
                  (output.Succeeded ? "" : $": {ShownText.Of(output.LastError)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"{target.Name} on {host.Name}: the guest did not end within {GuestTimeout.TotalSeconds:0} s";
        }

        return new GuestResult(host.Name, target.Name, reason is null ? GuestOutcome.Passed : GuestOutcome.Failed, reason, watch.Elapsed, ran);
    }

    private static GuestResult Skipped(TargetArch host, TargetArch target, GuestOutcome outcome, string reason) =>
        new(host.Name, target.Name, outcome, reason, TimeSpan.Zero, "");
}
