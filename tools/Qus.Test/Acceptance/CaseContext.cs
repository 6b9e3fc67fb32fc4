using System.Text.RegularExpressions;
using QemuUserStatic.Architectures;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// What a case works with: the engine, the target and host, the run's settings, and the checks every case shares
/// (registering and reading the entry's flags, what <c>uname -m</c> printed). Remembers the last registration so that
/// a case needing one that is already in place does not register again.
/// </summary>
internal sealed class CaseContext(IContainerEngine engine, AcceptanceSettings settings, Transcript transcript, string workFolder)
{
    private Registration? registered;

    /// <summary>The engine the cases run on.</summary>
    public IContainerEngine Engine => engine;

    /// <summary>The run's settings.</summary>
    public AcceptanceSettings Settings => settings;

    /// <summary>The target the cases emulate (aarch64).</summary>
    public TargetArch Target => settings.Target;

    /// <summary>Where the running case tells what it does.</summary>
    public Transcript Transcript => transcript;

    /// <summary>A folder for files the cases make (an emulator copied out of an image).</summary>
    public string WorkFolder => workFolder;

    /// <summary>The target's emulator in the images: <c>/usr/bin/qemu-aarch64-static</c>.</summary>
    public string EmulatorPath => $"/usr/bin/{Target.EmulatorFileName()}";

    /// <summary>The tag of the target's emulator image for this host (<c>x86_64-aarch64</c>).</summary>
    public string HostTargetTag => $"{settings.HostArch}-{Target.Name}";

    /// <summary>Runs the registration, then checks that it succeeded and that the target's entry shows its flags.</summary>
    public async Task RegisterAsync(Registration registration, CancellationToken cancellationToken)
    {
        registered = null;
        var image = await engine.ImageAsync(registration.ImageTag, cancellationToken).ConfigureAwait(false);
        var output = await engine.RunAsync(
            new ContainerRun(image, registration.Arguments(settings.RegisterTargets)) { Privileged = true }, cancellationToken).ConfigureAwait(false);
        Expect(output.Succeeded, $"{registration.Describe(settings.RegisterTargets)} failed: {output.LastError}");
        await ExpectFlagsAsync(registration.ExpectedFlags, cancellationToken).ConfigureAwait(false);
        registered = registration;
    }

    /// <summary>Makes <paramref name="registration"/> the one in place, unless an earlier case left it so.</summary>
    public async Task EnsureRegisteredAsync(Registration registration, CancellationToken cancellationToken)
    {
        if (registered == registration)
        {
            transcript.Add($"(registration in place: {registration.Describe(settings.RegisterTargets)})");
            return;
        }

        await RegisterAsync(registration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the target's entry exists and shows exactly <c>flags: </c><paramref name="letters"/>.</summary>
    public async Task ExpectFlagsAsync(string letters, CancellationToken cancellationToken)
    {
        var entry = Target.EntryName;
        var text = await engine.ReadBinfmtEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        Expect(text is not null, $"no {entry} entry in binfmt_misc after the registration");
        transcript.Add($"$ cat /proc/sys/fs/binfmt_misc/{entry}\n{text}");
        var flags = text!.Split('\n').FirstOrDefault(line => line.StartsWith("flags:", StringComparison.Ordinal));
        Expect(flags == $"flags: {letters}", $"{entry} shows '{flags ?? "no flags line"}', expected 'flags: {letters}'");
    }

    /// <summary>Checks that a <c>uname -m</c> run succeeded and printed the target's machine name.</summary>
    public void ExpectUname(ProcessOutput output, string what)
    {
        Expect(output.Succeeded, $"{what} failed: {output.LastError}");
        ExpectMachine(output.StandardOutput.Trim(), what);
    }

    /// <summary>Checks that <paramref name="machine"/> (what uname -m printed) names the target.</summary>
    public void ExpectMachine(string machine, string what) =>
        Expect(ArchitectureTable.Find(machine)?.Name == Target.Name, $"{what} printed '{machine}', expected {Target.Name}");

    /// <summary>Ends the case as not applicable when the engine cannot build images.</summary>
    public void RequireBuilds()
    {
        if (engine.CannotBuild is { } reason)
        {
            throw new CaseNotApplicableException(reason);
        }
    }

    /// <summary>Ends the case as not applicable when the engine cannot run a container as another user than root.</summary>
    public void RequireOtherUsers()
    {
        if (engine.CannotRunAsOtherUser is { } reason)
        {
            throw new CaseNotApplicableException(reason);
        }
    }

    /// <summary>Fails the case with <paramref name="message"/> unless <paramref name="condition"/> holds.</summary>
    public static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new CaseFailedException(message);
        }
    }

    /// <summary>The value a build's RUN step printed after <paramref name="marker"/> (in either builder's output), or null.</summary>
    public static string? BuildOutputValue(ProcessOutput output, string marker)
    {
        var match = Regex.Match(output.StandardOutput + "\n" + output.StandardError, Regex.Escape(marker) + @"(\S+)");
        return match.Success ? match.Groups[1].Value : null;
    }
}
