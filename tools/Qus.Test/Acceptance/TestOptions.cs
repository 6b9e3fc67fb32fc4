using QemuUserStatic.Architectures;

namespace QemuUserStatic.Acceptance;

/// <summary>What qus-test runs: the acceptance cases, or with <see cref="Guests"/> the guest set on every host's release.</summary>
internal sealed record TestOptions
{
    /// <summary>Images, settings, cases, engine and report file.</summary>
    public required AcceptanceRequest Request { get; init; }

    /// <summary>The guest set's folder (one static program per target) to run instead of the cases, or null.</summary>
    public string? Guests { get; init; }

    /// <summary>With <see cref="Guests"/>: the hosts whose releases run them (this machine's when empty).</summary>
    public IReadOnlyList<TargetArch> GuestHosts { get; init; } = [];
}
