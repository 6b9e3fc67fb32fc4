using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tarballs;

/// <summary>An emulator written to the staging folder.</summary>
/// <param name="Name">Its arch part (<c>aarch64</c>).</param>
/// <param name="Binary">The bare file: name, size, SHA-256.</param>
/// <param name="Package">File name of the package it came from.</param>
/// <param name="Elf">What its ELF header says, checked against the release's host.</param>
/// <param name="VerifiedBy">The package's digest it was checked against (<c>FILEDIGESTS SHA256</c>); null for a folder's file or one taken unchecked.</param>
internal sealed record ExtractedEmulator(string Name, ManifestFile Binary, string Package, ManifestElf Elf, string? VerifiedBy);
