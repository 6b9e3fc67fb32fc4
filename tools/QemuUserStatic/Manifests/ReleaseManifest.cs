using System.Text.Json;
using System.Text.Json.Serialization;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Manifests;

/// <summary>
/// <c>manifest.json</c>: what <c>qus-tarballs</c> wrote and from which packages. It is the contract later steps
/// (images, publish, test) read. Schema: <c>manifest.schema.json</c> next to this file; documented in the README.
/// </summary>
public sealed record ReleaseManifest
{
    /// <summary>The file name in a tarballs output folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version; readers refuse versions they do not know.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Upstream QEMU version, e.g. <c>7.2.0</c> (Fedora 7.2.0-1.fc38) or <c>7.2</c> (Debian 1:7.2+dfsg-7).</summary>
    public required string QemuVersion { get; init; }

    /// <summary>The package version-release the binaries come from, e.g. <c>7.2.0-1.fc38</c> or <c>1:7.2+dfsg-7+deb12u18</c>.</summary>
    public required string PackageVersion { get; init; }

    /// <summary>The version used in release tags and image tags (a valid OCI tag), e.g. <c>7.2.0-1</c>.</summary>
    public required string TagVersion { get; init; }

    /// <summary>The host architecture the emulators run on (QEMU's name: x86_64, aarch64, ...).</summary>
    public required string FromArch { get; init; }

    /// <summary>Seconds since the epoch used for every mtime (the package build time or SOURCE_DATE_EPOCH).</summary>
    public required long SourceDateEpoch { get; init; }

    /// <summary>True when the run was given --allow-unverified (absent otherwise): inputs no digest vouches for may have been taken.</summary>
    public bool? AllowUnverified { get; init; }

    /// <summary>The packages read, in input order.</summary>
    public required IReadOnlyList<ManifestPackage> Sources { get; init; }

    /// <summary>Every emulator written, sorted by name.</summary>
    public required IReadOnlyList<ManifestTarget> Targets { get; init; }

    /// <summary>Reads and checks <c>manifest.json</c> in <paramref name="folder"/>; problems are one-line user errors.</summary>
    public static ReleaseManifest Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new UserException($"{path}: no such file (is {folder} a qus-tarballs output folder?)");
        }

        ReleaseManifest? manifest;
        try
        {
            using var stream = File.OpenRead(path);
            manifest = JsonSerializer.Deserialize(stream, ManifestJsonContext.Default.ReleaseManifest);
        }
        catch (JsonException ex)
        {
            throw new UserException($"{path}: not a valid manifest: {ex.Message}");
        }

        if (manifest is null)
        {
            throw new UserException($"{path}: empty manifest");
        }

        if (manifest.SchemaVersion != CurrentSchemaVersion)
        {
            throw new UserException($"{path}: schemaVersion {manifest.SchemaVersion} is not supported (expected {CurrentSchemaVersion})");
        }

        if (manifest.SourceDateEpoch is < 0 or > Packages.PackageLimits.MaxTimestamp)
        {
            throw new UserException($"{path}: sourceDateEpoch {manifest.SourceDateEpoch} is not a time between 1970 and 2242");
        }

        return manifest;
    }

    /// <summary>The manifest as indented UTF-8 JSON with a final newline (same object, same bytes).</summary>
    public byte[] ToJsonBytes()
    {
        var json = ReadableJson.SerializeToUtf8Bytes(this, ManifestJsonContext.Default.ReleaseManifest);
        return [.. json, (byte)'\n'];
    }
}

/// <summary>A package the emulators were taken from.</summary>
public sealed record ManifestPackage
{
    /// <summary>The file name as given (no folder).</summary>
    public required string File { get; init; }

    /// <summary><c>rpm</c>, <c>deb</c> or <c>folder</c>.</summary>
    public required string Format { get; init; }

    /// <summary>Package name, e.g. <c>qemu-user-static-aarch64</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Epoch, where the package has one.</summary>
    public string? Epoch { get; init; }

    /// <summary>Version, e.g. <c>7.2.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Release (RPM) or Debian revision, e.g. <c>1.fc38</c>.</summary>
    public required string Release { get; init; }

    /// <summary>Package architecture as the package states it (x86_64, amd64, ...).</summary>
    public required string Arch { get; init; }

    /// <summary>Size of the package file in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the package file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Build time from the package, seconds since the epoch, where it has one.</summary>
    public long? BuildTime { get; init; }

    /// <summary>
    /// <c>verified</c> (its header and every file taken checked against digests it carries), <c>local</c> (a folder,
    /// taken as given) or <c>unverified</c> (something taken unchecked, with --allow-unverified); absent in manifests
    /// written before it.
    /// </summary>
    public string? Trust { get; init; }

    /// <summary>The checks made on it, in words (<c>header SHA256 (signature header)</c>, <c>each file taken against md5sums MD5</c>); empty for a folder.</summary>
    public IReadOnlyList<string>? Verified { get; init; }

    /// <summary>What was taken from it and why unchecked (<c>usr/bin/qemu-arm-static (md5sums does not list it)</c>); absent when nothing was.</summary>
    public IReadOnlyList<string>? Unverified { get; init; }
}

/// <summary>One emulator and the files written for it.</summary>
public sealed record ManifestTarget
{
    /// <summary>The emulator's arch part, e.g. <c>aarch64</c> for <c>qemu-aarch64-static</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The bare emulator, <c>qemu-aarch64-static</c> (mode 0755).</summary>
    public required ManifestFile Binary { get; init; }

    /// <summary>The tarballs: <c>qemu-aarch64-static.tar.gz</c> and <c>&lt;from_arch&gt;_qemu-aarch64-static.tar.gz</c> (same bytes).</summary>
    public required IReadOnlyList<ManifestFile> Tarballs { get; init; }

    /// <summary>The binfmt_misc entry the package ships for this emulator (binfmt.d), where it has one.</summary>
    public ManifestBinfmt? Binfmt { get; init; }

    /// <summary>
    /// Further binfmt_misc entries the package ships that this same emulator serves (qemu-i486 for
    /// qemu-i386-static), sorted by name; absent when there are none.
    /// </summary>
    public IReadOnlyList<ManifestBinfmt>? AdditionalBinfmt { get; init; }

    /// <summary>The file name of the package the emulator was taken from (one of <see cref="ReleaseManifest.Sources"/>).</summary>
    public string? Package { get; init; }

    /// <summary>The package's digest the emulator was checked against (<c>FILEDIGESTS SHA256</c>, <c>md5sums MD5</c>); absent for a folder's or an unchecked one.</summary>
    public string? VerifiedBy { get; init; }

    /// <summary>The check of the emulator's ELF header before it was published (absent in manifests written before it).</summary>
    public ManifestElf? Elf { get; init; }
}

/// <summary>What an emulator's ELF header says, as checked before publishing: static, and built for the host.</summary>
public sealed record ManifestElf
{
    /// <summary>The release's host architecture the header was checked against (x86_64, aarch64, ...).</summary>
    public required string Host { get; init; }

    /// <summary>ELF class: 32 or 64.</summary>
    public required int Class { get; init; }

    /// <summary><c>little</c> or <c>big</c>.</summary>
    public required string ByteOrder { get; init; }

    /// <summary>e_machine (62 x86-64, 183 AArch64, 21 PowerPC64, 22 S/390, 243 RISC-V).</summary>
    public required int Machine { get; init; }

    /// <summary><c>static</c> or <c>static-pie</c>: no program interpreter, no needed library.</summary>
    public required string Linking { get; init; }
}

/// <summary>A file in the output folder.</summary>
public sealed record ManifestFile
{
    /// <summary>File name, relative to the output folder.</summary>
    public required string Name { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256, lower-case hex.</summary>
    public required string Sha256 { get; init; }
}

/// <summary>A binfmt_misc entry from a package's binfmt.d file.</summary>
public sealed record ManifestBinfmt
{
    /// <summary>The entry name, e.g. <c>qemu-aarch64</c> (the first field of <see cref="Line"/>).</summary>
    public string? Name { get; init; }

    /// <summary>Where it was found in the package, e.g. <c>usr/lib/binfmt.d/qemu-aarch64-static.conf</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The register line as the package has it (<c>:qemu-aarch64:M::...:/usr/bin/qemu-aarch64-static:F</c>).</summary>
    public required string Line { get; init; }
}

/// <summary>Source-generated JSON for the manifest: camelCase, indented, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ReleaseManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
