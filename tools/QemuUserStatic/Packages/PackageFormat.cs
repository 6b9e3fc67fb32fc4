namespace QemuUserStatic.Packages;

/// <summary>The kinds of input a package source reads.</summary>
public enum PackageFormat
{
    /// <summary>An RPM package (Fedora's qemu-user-static and qemu-user-static-FAMILY).</summary>
    Rpm,

    /// <summary>A Debian binary package (.deb).</summary>
    Deb,

    /// <summary>A folder of qemu-*-static files (or an unpacked package root).</summary>
    Folder,
}
