namespace QemuUserStatic.Guests;

/// <summary>
/// The guest program of one target and what it must print under that target's emulator.
/// </summary>
/// <param name="Target">The target (a table name: aarch64, mipsn32el).</param>
/// <param name="Kind">Debian's busybox-static or the cross-compiled hello.</param>
/// <param name="Source">
/// Busybox: the Debian architecture of the package (arm64); hello: the cross compiler's triplet (mips64-linux-gnuabi64).
/// </param>
/// <param name="Suite">
/// Busybox: the Debian suite it comes from (trixie, sid, bookworm; null for the first of <see cref="DebianDownload.DefaultSuites"/>
/// that has it); hello: the machine's own (null).
/// </param>
/// <param name="Flags">Hello: the compiler flags that pick the target's ABI (-mabi=n32, -m32); none for busybox.</param>
/// <param name="Machine">What uname(2) says under QEMU's linux-user emulator of the target (its <c>uname -m</c>).</param>
public sealed record GuestSpec(string Target, GuestKind Kind, string Source, string? Suite, IReadOnlyList<string> Flags, string Machine)
{
    /// <summary>The guest's arguments: busybox runs its uname applet, hello none.</summary>
    public IReadOnlyList<string> Arguments => Kind == GuestKind.Busybox ? ["uname", "-m"] : [];

    /// <summary>Exactly what a good run prints on standard output.</summary>
    public string ExpectedOutput => Kind == GuestKind.Busybox ? Machine + "\n" : $"{GuestTable.HelloLine}\n{Machine}\n";

    /// <summary>
    /// The Debian packages building it needs on this machine: for busybox Debian's keyring (its download's lists are
    /// checked against it), for hello the cross compiler and, for another ABI of the compiler's, its multilib.
    /// </summary>
    public IReadOnlyList<string> DebianPackages => Kind == GuestKind.Busybox
        ? [DebianDownload.KeyringPackage]
        : [CrossCompiler.Package(Source), .. CrossCompiler.NeedsMultilib(Flags) ? [CrossCompiler.MultilibPackage(Source)] : Array.Empty<string>()];

    /// <summary>
    /// The guest as one line of <see cref="GuestTable.ToLines()"/>: <c>TARGET busybox DEBIAN_ARCH SUITE MACHINE</c> or
    /// <c>TARGET hello TRIPLET FLAGS MACHINE</c>, FLAGS comma-separated; <c>-</c> for none.
    /// </summary>
    public string Line =>
        $"{Target} {Kind.ToString().ToLowerInvariant()} {Source} {(Kind == GuestKind.Busybox ? Suite ?? "-" : Flags.Count == 0 ? "-" : string.Join(',', Flags))} {Machine}\n";
}
