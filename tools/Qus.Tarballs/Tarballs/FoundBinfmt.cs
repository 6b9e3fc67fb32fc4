using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Tarballs;

/// <summary>A binfmt_misc entry found in a package's binfmt.d file.</summary>
internal sealed record FoundBinfmt(string Package, string Source, string Line, BinfmtEntry Entry);
