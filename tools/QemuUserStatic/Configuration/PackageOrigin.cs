namespace QemuUserStatic.Configuration;

/// <summary>Where the pipeline takes QEMU's static emulators from.</summary>
public enum PackageOrigin
{
    /// <summary>Debian's <c>qemu-user-static</c> .deb from a Debian mirror (the <c>Packages</c> index and the pool).</summary>
    Debian,

    /// <summary>Fedora's <c>qemu-user-static*</c> RPMs from Koji (the hub's XML-RPC API and kojipkgs).</summary>
    Fedora,
}

/// <summary>Facts that depend on the package origin.</summary>
public static class PackageOriginExtensions
{
    /// <summary>The lower-case name used in qus.yml and on the command line (debian, fedora).</summary>
    public static string Name(this PackageOrigin source) => source.ToString().ToLowerInvariant();

    /// <summary>How the source names the package architecture of a host (amd64, x86_64), or null when it builds none.</summary>
    public static string? PackageArch(this PackageOrigin source, string hostArch) => source == PackageOrigin.Debian
        ? Architectures.ArchitectureTable.DebianArch(hostArch)
        : Architectures.ArchitectureTable.FedoraArch(hostArch);
}
