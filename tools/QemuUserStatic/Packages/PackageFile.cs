using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Packages.Deb;
using QemuUserStatic.Packages.Folder;
using QemuUserStatic.Packages.Rpm;

namespace QemuUserStatic.Packages;

/// <summary>Opens any input a tool accepts — an RPM, a .deb or a folder of emulators — by what it is, not by its name.</summary>
public static class PackageFile
{
    /// <summary>The package or folder at <paramref name="path"/>, recognised by its magic bytes.</summary>
    public static IPackageFile Open(string path)
    {
        // The path as given may be a link (the user named it); what it leads to must be a folder or a regular
        // file: a FIFO or a device would block the first read where no signal's cancellation reaches.
        switch (FileTypes.Of(path))
        {
            case FileType.Directory:
                return EmulatorFolder.Open(path);
            case FileType.Missing:
                throw new UserException($"{path}: no such file or folder");
            case not FileType.RegularFile and var type:
                throw new UserException($"{path}: {FileTypes.Describe(type)}, not a package file or a folder");
        }

        Span<byte> start = stackalloc byte[8];
        int got;
        using (var file = File.OpenRead(path))
        {
            got = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        if (RpmPackage.HasLead(start[..got]))
        {
            return RpmPackage.Open(path);
        }

        if (DebPackage.HasArMagic(start[..got]))
        {
            return DebPackage.Open(path);
        }

        throw new UserException($"{path}: not an RPM package, a .deb or a folder");
    }

    /// <summary>
    /// Checks everything the package at <paramref name="path"/> carries (any format) and returns its identity;
    /// throws a user error naming the file and the mismatch.
    /// </summary>
    public static PackageIdentity Verify(string path, CancellationToken cancellationToken = default) =>
        Verify(Open(path), cancellationToken);

    /// <summary>Reads every entry of <paramref name="source"/> (so that every digest is checked), disposes it, returns its identity.</summary>
    public static PackageIdentity Verify(IPackageFile source, CancellationToken cancellationToken = default)
    {
        using (source)
        {
            return ReadAll(source, cancellationToken);
        }
    }

    /// <summary>Reads every entry of <paramref name="source"/> to its end, so that every digest is checked.</summary>
    public static PackageIdentity ReadAll(IPackageFile source, CancellationToken cancellationToken = default)
    {
        foreach (var entry in source.ReadEntries(cancellationToken))
        {
            entry.Content.ReadToEnd();
        }

        return source.Identity;
    }
}
