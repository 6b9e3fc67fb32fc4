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
public sealed class GuestMatrix(IContainerEngine engine, AcceptanceSettings settings, GuestSet guests, Transcript transcript, string workFolder)
{
    /// <summary>How long one guest may run (a hanging emulator fails its target, not the whole run).</summary>
    public static readonly TimeSpan GuestTimeout = TimeSpan.FromSeconds(60);

    // Where another host's emulators are bound into the registering container.
    private const string HostEmulatorFolder = "/qus-host-emulators";

    // Where the guest is bound into the container: busybox runs as busybox for a name starting with "busybox".
    private const string GuestPath = "/busybox-qus-guest";

    /// <summary>
    /// Registers <paramref name="host"/>'s emulators and runs every guest with them, calling <paramref name="done"/> as
    /// each target ends; returns every target's result, sorted by target.
    /// </summary>
    public async Task<IReadOnlyList<GuestResult>> RunHostAsync(TargetArch host, Func<GuestResult, Task> done, CancellationToken cancellationToken)
    {
        var platform = host.Platform ?? throw new UserException($"--guest-hosts {host.Name}: no container image platform exists for it");
        var started = Stopwatch.StartNew();
        var local = await engine.ImageAsync(ImageTag.Latest, cancellationToken).ConfigureAwait(false);
        var latest = await engine.ImageAsync(ImageTag.Latest, platform, cancellationToken).ConfigureAwait(false);
        var emulators = Path.Combine(workFolder, "emulators-" + host.Name);
        await engine.CopyFromImageAsync(latest, "/usr/bin", emulators, cancellationToken).ConfigureAwait(false);

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
        var results = new List<GuestResult>();
        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = target.Family == machineFamily
                ? Skipped(host, target, GuestOutcome.Native, $"this {settings.HostArch} machine runs {target.Name} natively: registering it would send every program to QEMU")
                : failure is not null
                    ? new GuestResult(host.Name, target.Name, GuestOutcome.Failed, $"{target.Name} on {host.Name}: {failure}", started.Elapsed, setUp)
                    : await RunGuestAsync(host, target, local, host.Name == settings.HostArch ? [] : [(emulators, HostEmulatorFolder)], cancellationToken).ConfigureAwait(false);
            results.Add(result);
            await done(result).ConfigureAwait(false);
        }

        return results;
    }

    private async Task<string?> RegisterAsync(
        EngineImage image, IReadOnlyList<string> arguments, IReadOnlyList<(string, string)> mounts, CancellationToken cancellationToken)
    {
        var output = await engine.RunAsync(new ContainerRun(image, arguments) { Privileged = true, Mounts = mounts }, cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? null : $"latest {string.Join(' ', arguments)} failed: {output.LastError}";
    }

    // A nested emulator is started by this machine's from its path (flag F holds only the outer file open), so another
    // host's emulators stay bound at the path they were registered with.
    private async Task<GuestResult> RunGuestAsync(
        TargetArch host, TargetArch target, EngineImage image, IReadOnlyList<(string, string)> mounts, CancellationToken cancellationToken)
    {
        var spec = GuestTable.For(target.Name);
        var file = guests.FileOf(target.Name);
        if (spec is null || file is null)
        {
            return Skipped(host, target, GuestOutcome.NoGuest,
                spec is null ? $"Debian has no guest program for {target.Name}: its emulator is registered, not run" : $"no {target.Name} file in {guests.Folder}");
        }

        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GuestTimeout);
        string? reason;
        try
        {
            var output = await engine.RunAsync(
                new ContainerRun(image, spec.Arguments) { Entrypoint = GuestPath, Mounts = [.. mounts, (file, GuestPath)] }, timeout.Token).ConfigureAwait(false);
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

        return new GuestResult(host.Name, target.Name, reason is null ? GuestOutcome.Passed : GuestOutcome.Failed, reason, watch.Elapsed, transcript.Take());
    }

    private static GuestResult Skipped(TargetArch host, TargetArch target, GuestOutcome outcome, string reason) =>
        new(host.Name, target.Name, outcome, reason, TimeSpan.Zero, "");
}
