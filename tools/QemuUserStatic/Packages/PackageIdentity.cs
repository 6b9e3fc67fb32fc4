namespace QemuUserStatic.Packages;

/// <summary>What a package says it is, and the file it was read from.</summary>
public sealed record PackageIdentity
{
    /// <summary>The path as given.</summary>
    public required string Path { get; init; }

    /// <summary>RPM, deb or folder.</summary>
    public required PackageFormat Format { get; init; }

    /// <summary>Package name, e.g. <c>qemu-user-static-aarch64</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Epoch, where the package has one.</summary>
    public string? Epoch { get; init; }

    /// <summary>Version: RPM VERSION, or Debian's upstream version (<c>7.2+dfsg</c>).</summary>
    public required string Version { get; init; }

    /// <summary>RPM RELEASE (<c>1.fc38</c>) or Debian revision (<c>7+deb12u18+b3</c>); empty when there is none.</summary>
    public required string Release { get; init; }

    /// <summary>The architecture as the package states it (x86_64, amd64, arm64, ...).</summary>
    public required string Arch { get; init; }

    /// <summary>Build time, seconds since the epoch, where known.</summary>
    public long? BuildTime { get; init; }

    /// <summary>Size of the package file in bytes (for a folder: of the files taken).</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the package file, lower-case hex (for a folder: of its SHA256SUMS-style listing).</summary>
    public required string Sha256 { get; init; }

    /// <summary>The file or folder name, without the path.</summary>
    public string FileName => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    /// <summary>Version and release as the package manager prints them: <c>7.2.0-1.fc38</c>, Debian's with its epoch.</summary>
    public string FullVersion =>
        (Format == PackageFormat.Deb && Epoch is not null ? Epoch + ":" : "") +
        (Release.Length == 0 ? Version : $"{Version}-{Release}");

    /// <inheritdoc />
    public override string ToString() => $"{Name} {FullVersion} {Arch}";
}
