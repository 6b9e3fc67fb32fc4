namespace QemuUserStatic.Architectures;

/// <summary>How the package sources name a host architecture: Debian's dpkg names and Fedora's RPM names.</summary>
public static partial class ArchitectureTable
{
    // Only hosts that Debian or Fedora build qemu-user-static for; the key is the table's canonical name.
    private static readonly Dictionary<string, string> DebianArches = new(StringComparer.Ordinal)
    {
        ["x86_64"] = "amd64", ["aarch64"] = "arm64", ["arm"] = "armhf", ["i386"] = "i386", ["ppc64le"] = "ppc64el",
        ["s390x"] = "s390x", ["riscv64"] = "riscv64", ["mips64el"] = "mips64el", ["mipsel"] = "mipsel",
        ["loongarch64"] = "loong64",
    };

    private static readonly Dictionary<string, string> FedoraArches = new(StringComparer.Ordinal)
    {
        ["x86_64"] = "x86_64", ["aarch64"] = "aarch64", ["ppc64le"] = "ppc64le", ["s390x"] = "s390x",
        ["i386"] = "i686", ["arm"] = "armv7hl", ["riscv64"] = "riscv64",
    };

    /// <summary>Debian's architecture name (dpkg --print-architecture) for a host, or null when Debian has none.</summary>
    public static string? DebianArch(string hostArch) =>
        Normalize(hostArch) is { } name && DebianArches.TryGetValue(name, out var debian) ? debian : null;

    /// <summary>Fedora's RPM architecture name for a host (i386 → i686), or null when Fedora builds none.</summary>
    public static string? FedoraArch(string hostArch) =>
        Normalize(hostArch) is { } name && FedoraArches.TryGetValue(name, out var fedora) ? fedora : null;
}
