using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance;

/// <summary>What a qus-test run checks: the target, the host, what /register is told, case 7's witness, the time a case may take.</summary>
/// <param name="Target">The target the cases emulate.</param>
/// <param name="HostArch">This host's architecture (QEMU's name): the FROM of <c>FROM-TO</c> tags.</param>
/// <param name="RegisterTargets">Targets given to /register; empty: none, so it registers every target as users run it.</param>
/// <param name="Witness">The guest command case 7 runs setuid.</param>
/// <param name="CaseTimeout">How long one case may take before it fails.</param>
internal sealed record AcceptanceSettings(
    TargetArch Target, string HostArch, IReadOnlyList<string> RegisterTargets, SetuidWitness Witness, TimeSpan CaseTimeout)
{
    /// <summary>Settings for <paramref name="target"/> on this host; a target of the host's own family is a user error.</summary>
    public static AcceptanceSettings For(
        string target, IReadOnlyList<string> registerTargets, SetuidWitness witness, TimeSpan caseTimeout, string? hostArch = null)
    {
        var arch = ArchitectureTable.Get(target, "--arch target");
        var host = hostArch ?? ArchitectureTable.HostArch;
        if (arch.Family == ArchitectureTable.FamilyOf(host))
        {
            throw new UserException($"--arch {arch.Name}: this {host} host runs it natively; choose a foreign target (e.g. aarch64)", ExitCodes.Usage);
        }

        if (arch.Platform is null)
        {
            throw new UserException($"--arch {arch.Name}: no container image platform exists for it; choose one with a platform (e.g. aarch64)", ExitCodes.Usage);
        }

        foreach (var name in registerTargets)
        {
            ArchitectureTable.Get(name, "--register-targets target");
        }

        return new AcceptanceSettings(arch, host, registerTargets, witness, caseTimeout);
    }

    /// <summary>The OCI platform of the guest image.</summary>
    public OciPlatform GuestPlatform => Target.Platform!;

    /// <summary>The OCI platform of the images under test (this host's).</summary>
    public OciPlatform HostPlatform => ArchitectureTable.Get(HostArch, "host architecture").Platform
        ?? throw new UserException($"host {HostArch}: no container image platform exists for it");

    /// <summary>The default guest: Docker Hub's arm64v8/ubuntu for aarch64 (as the original), else ubuntu for the target's platform.</summary>
    public static string DefaultGuest(string target) =>
        ArchitectureTable.Find(target)?.Name == "aarch64" ? "docker.io/arm64v8/ubuntu" : "docker.io/library/ubuntu";
}
