using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Guests;

/// <summary>
/// Debian's cross compiler of one GNU triplet (<c>gcc-aarch64-linux-gnu</c>), building the small static programs the
/// guests carry: the hello guests, the setuid witness.
/// </summary>
public static class CrossCompiler
{
    /// <summary>The compiler for <paramref name="gnuTriplet"/>'s programs (aarch64-linux-gnu-gcc).</summary>
    public static string Command(string gnuTriplet) => $"{gnuTriplet}-gcc";

    /// <summary>Debian's package of that compiler (gcc-aarch64-linux-gnu; its libc comes by recommendation).</summary>
    public static string Package(string gnuTriplet) => $"gcc-{gnuTriplet}";

    /// <summary>Debian's package of the compiler's other ABIs (<c>-m32</c>, <c>-mabi=n32</c>).</summary>
    public static string MultilibPackage(string gnuTriplet) => $"gcc-multilib-{gnuTriplet}";

    /// <summary>True when <paramref name="flags"/> pick another ABI than the compiler's own, which needs its multilib.</summary>
    public static bool NeedsMultilib(IEnumerable<string> flags) =>
        flags.Any(f => f == "-m32" || f.StartsWith("-mabi=", StringComparison.Ordinal));

    /// <summary>
    /// Compiles <paramref name="source"/> (a C file) into <paramref name="program"/>, static, size-optimised and
    /// stripped, with <paramref name="flags"/>; a failure is a user error with the compiler's last line.
    /// </summary>
    public static async Task CompileAsync(
        string gnuTriplet, string source, IReadOnlyList<string> flags, string program, CancellationToken cancellationToken = default)
    {
        var compiler = Command(gnuTriplet);
        var result = await ExternalCommand.RunAsync(
            compiler, ["-static", "-Os", "-s", .. flags, "-o", program, source], installHint: $"apt-get install {Package(gnuTriplet)}",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new UserException($"{compiler}: could not build {Path.GetFileName(program)}: {LogText.Terminal(result.LastError)}");
        }
    }
}
