namespace QemuUserStatic.Binfmt;

/// <summary>Everything one qus-register invocation asks for: what to register and what else to do.</summary>
internal sealed record RegisterRequest
{
    /// <summary>Targets, flags, paths and mount.</summary>
    public required RegisterOptions Options { get; init; }

    /// <summary>Entries to remove (names, aliases, platforms, globs).</summary>
    public IReadOnlyList<string> Uninstall { get; init; } = [];

    /// <summary>Print the status as JSON on stdout (the lines about changes then go to stderr).</summary>
    public bool Status { get; init; }

    /// <summary>Write files into this folder instead of touching the kernel.</summary>
    public string? ExportFolder { get; init; }

    /// <summary>The format of <see cref="ExportFolder"/>'s files.</summary>
    public BinfmtExportFormat ExportFormat { get; init; } = BinfmtExportFormat.Systemd;

    /// <summary>
    /// True when targets are registered: targets named, or --reset (register.sh's <c>--reset</c> registers all), or
    /// nothing else asked for. <c>--status</c> or <c>--uninstall</c> alone change nothing else.
    /// </summary>
    public bool Registers => Options.Targets.Count > 0 || Options.Reset || (Uninstall.Count == 0 && !Status);
}
