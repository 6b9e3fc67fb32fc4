namespace QemuUserStatic.Architectures;

/// <summary>How the package sources name a host architecture: the rows' Debian (dpkg) and Fedora (RPM) columns.</summary>
public static partial class ArchitectureTable
{
    /// <summary>Debian's architecture name (dpkg --print-architecture) for a host, or null when Debian builds none for it.</summary>
    public static string? DebianArch(string hostArch) => Find(hostArch)?.DebianArch;

    /// <summary>Fedora's RPM architecture name for a host (i386 → i686), or null when Fedora builds none for it.</summary>
    public static string? FedoraArch(string hostArch) => Find(hostArch)?.RpmArch;
}
