namespace QemuUserStatic.Binfmt;

/// <summary>The few things a generated <c>/register</c> script is built with; the defaults fit the images.</summary>
public sealed record RegisterScriptOptions
{
    /// <summary>The name in front of errors and warnings (<c>register: error: ...</c>).</summary>
    public string ProgramName { get; init; } = "register";

    /// <summary>The emulator folder when neither <c>--qemu-path</c> nor <c>QEMU_BIN_DIR</c> is given.</summary>
    public string DefaultQemuPath { get; init; } = RegisterOptions.DefaultQemuPath;

    /// <summary>The emulator suffix when <c>--qemu-suffix</c> is not given.</summary>
    public string QemuSuffix { get; init; } = RegisterOptions.DefaultQemuSuffix;

    /// <summary>The binfmt_misc folder when <c>--mount</c> is not given.</summary>
    public string Mount { get; init; } = BinfmtMisc.DefaultFolder;

    /// <summary>
    /// The table names an image carries an emulator for, registered when no target (or <c>all</c>) is given; null for
    /// every target of the table (the <c>register</c> image, qus-register's script). Named targets are never limited.
    /// </summary>
    public IReadOnlyList<string>? Carried { get; init; }
}
