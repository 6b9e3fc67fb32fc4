using QemuUserStatic.Architectures;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// What qus-test runs: the acceptance cases, or with <see cref="Guests"/> or <see cref="GuestCache"/> the guest set on
/// every host's release.
/// </summary>
internal sealed record TestOptions
{
    /// <summary>Images, settings, cases, engine and report file.</summary>
    public required AcceptanceRequest Request { get; init; }

    /// <summary>The guest set's folder (one static program per target) to run instead of the cases, or null.</summary>
    public string? Guests { get; init; }

    /// <summary>
    /// The cache folder the guest set of <see cref="QemuUserStatic.Guests.GuestTable"/> is built in (or taken from, when
    /// built before) to run instead of the cases, or null.
    /// </summary>
    public string? GuestCache { get; init; }

    /// <summary>True when the guest set runs instead of the cases.</summary>
    public bool RunsGuests => Guests is not null || GuestCache is not null;

    /// <summary>With a guest set: the hosts whose releases run them (this machine's when empty).</summary>
    public IReadOnlyList<TargetArch> GuestHosts { get; init; } = [];
}
