namespace QemuUserStatic.Packages;

/// <summary>The kinds of package file a tool reads (and qus-fetch downloads: RPM or .deb).</summary>
public enum PackageFormat
{
    /// <summary>An RPM package (Fedora's qemu-user-static and qemu-user-static-FAMILY).</summary>
    Rpm,

    /// <summary>A Debian binary package (.deb).</summary>
    Deb,

    /// <summary>A folder of qemu-*-static files (or an unpacked package root).</summary>
    Folder,
}
