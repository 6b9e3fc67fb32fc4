using QemuUserStatic.Manifests;

namespace QemuUserStatic.Tarballs;

/// <summary>An emulator written to the staging folder.</summary>
/// <param name="Name">Its arch part (<c>aarch64</c>).</param>
/// <param name="Binary">The bare file: name, size, SHA-256.</param>
/// <param name="Package">File name of the package it came from.</param>
internal sealed record ExtractedEmulator(string Name, ManifestFile Binary, string Package);
