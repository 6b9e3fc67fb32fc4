namespace QemuUserStatic.Packages;

/// <summary>What a package says it is, and the file it was read from; its fields hold no control character.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Format">RPM, deb or folder.</param>
/// <param name="Name">Package name, e.g. <c>qemu-user-static-aarch64</c>.</param>
/// <param name="Epoch">Epoch, where the package has one.</param>
/// <param name="Version">RPM VERSION, or Debian's upstream version (<c>7.2+dfsg</c>).</param>
/// <param name="Release">RPM RELEASE (<c>1.fc38</c>) or Debian revision (<c>7+deb12u18+b3</c>); empty when there is none.</param>
/// <param name="Arch">The architecture as the package states it (x86_64, amd64, arm64, ...).</param>
/// <param name="BuildTime">Build time, seconds since the epoch, where known.</param>
/// <param name="Size">Size of the package file in bytes (for a folder: of the files taken).</param>
/// <param name="Sha256">SHA-256 of the package file, lower-case hex (for a folder: of its SHA256SUMS-style listing).</param>
public sealed record PackageIdentity(
    string Path, PackageFormat Format, string Name, string? Epoch, string Version, string Release, string Arch,
    long? BuildTime, long Size, string Sha256)
{
    /// <summary>Package name, e.g. <c>qemu-user-static-aarch64</c>.</summary>
    public string Name { get; init; } = PackageText.Checked(Name, "name");

    /// <summary>Epoch, where the package has one.</summary>
    public string? Epoch { get; init; } = Epoch is null ? null : PackageText.Checked(Epoch, "epoch");

    /// <summary>RPM VERSION, or Debian's upstream version (<c>7.2+dfsg</c>).</summary>
    public string Version { get; init; } = PackageText.Checked(Version, "version");

    /// <summary>RPM RELEASE (<c>1.fc38</c>) or Debian revision (<c>7+deb12u18+b3</c>); empty when there is none.</summary>
    public string Release { get; init; } = PackageText.Checked(Release, "release");

    /// <summary>The architecture as the package states it (x86_64, amd64, arm64, ...).</summary>
    public string Arch { get; init; } = PackageText.Checked(Arch, "arch");

    /// <summary>The file or folder name, without the path.</summary>
    public string FileName => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    /// <summary>Version and release as the package manager prints them: <c>7.2.0-1.fc38</c>, Debian's with its epoch.</summary>
    public string FullVersion =>
        (Format == PackageFormat.Deb && Epoch is not null ? Epoch + ":" : "") +
        (Release.Length == 0 ? Version : $"{Version}-{Release}");

    /// <inheritdoc />
    public override string ToString() => $"{Name} {FullVersion} {Arch}";
}
