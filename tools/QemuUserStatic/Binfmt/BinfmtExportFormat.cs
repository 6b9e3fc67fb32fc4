namespace QemuUserStatic.Binfmt;

/// <summary>The files <c>--export</c> writes instead of touching the kernel.</summary>
public enum BinfmtExportFormat
{
    /// <summary>systemd-binfmt: <c>qemu-NAME.conf</c> holding the register line (for /etc/binfmt.d).</summary>
    Systemd,

    /// <summary>Debian's update-binfmts: <c>qemu-NAME</c> templates like /usr/share/binfmts/qemu-* (for --import).</summary>
    Debian,
}
