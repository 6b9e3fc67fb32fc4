namespace QemuUserStatic.Manifests;

/// <summary>One downloaded package as fetched.json lists it.</summary>
/// <param name="Host">The host architecture it carries emulators for (canonical table name).</param>
/// <param name="Package">The package name (qemu-user-static, qemu-user-static-aarch64, ...).</param>
/// <param name="Version">The full package version.</param>
/// <param name="Arch">The package architecture as its format spells it.</param>
/// <param name="Format">rpm or deb.</param>
/// <param name="Name">The file name inside the output folder (the source's original name).</param>
/// <param name="Size">The file size in bytes.</param>
/// <param name="Sha256">The file's SHA-256 (lower-case hex).</param>
/// <param name="Url">Where it was downloaded from.</param>
/// <param name="Checks">What was verified: size, sha256 (against the source), and the package verifiers' checks.</param>
public sealed record FetchedFile(
    string Host, string Package, string Version, string Arch, string Format, string Name, long Size, string Sha256, string Url,
    IReadOnlyList<string> Checks);
