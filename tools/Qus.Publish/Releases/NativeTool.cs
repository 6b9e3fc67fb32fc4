using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Releases;

/// <summary>
/// A native (NativeAOT) qus-register a release carries beside the emulators, built by tools/build-native:
/// <c>qus-register-linux-RID</c> for the runtimes in <see cref="Runtimes"/>. Checked before it is published: a regular
/// file of at most <see cref="MaxSize"/> bytes whose ELF header is for the runtime its name says.
/// </summary>
internal static class NativeTool
{
    /// <summary>The largest native tool accepted: 64 MiB (qus-register is about 4 MB).</summary>
    public const long MaxSize = 64L << 20;

    /// <summary>The file name prefix; the .NET runtime identifier's architecture follows.</summary>
    public const string Prefix = "qus-register-linux-";

    /// <summary>The .NET runtime architectures tools/build-native builds; the architecture table names each one's host (x64 → x86_64).</summary>
    public static IReadOnlyList<string> Runtimes { get; } = ["x64", "arm64"];

    /// <summary>The release file name for runtime <paramref name="rid"/>, e.g. qus-register-linux-x64.</summary>
    public static string FileName(string rid) => Prefix + rid;

    /// <summary>Checks and hashes the native tool at <paramref name="path"/>; every problem is a one-line error naming it.</summary>
    public static async Task<AssetFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var name = info.Name;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !Runtimes.Contains(name[Prefix.Length..]))
        {
            throw new UserException(
                $"--native {path}: expected a file named {string.Join(" or ", Runtimes.Select(FileName))}", ExitCodes.Usage);
        }

        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            throw new UserException($"--native {path}: no such regular file", ExitCodes.Usage);
        }

        // The size first: nothing of a file too large is read.
        if (info.Length > MaxSize)
        {
            throw new UserException($"{path}: {info.Length} bytes, more than the limit {MaxSize} for a native tool");
        }

        ElfImage elf;
        try
        {
            elf = ElfImage.Read(info.FullName);
        }
        catch (InvalidDataException ex)
        {
            throw new UserException($"{path}: not a native executable ({ex.Message})");
        }

        var target = ArchitectureTable.Get(name[Prefix.Length..]);
        if (!elf.IsFor(target))
        {
            throw new UserException($"{path}: {elf.Describe()}, not for {target.Name} ({ElfImage.Describe(target)})");
        }

        return new AssetFile(name, info.FullName, info.Length, await Sha256Hex.OfFileAsync(info.FullName, cancellationToken).ConfigureAwait(false));
    }
}
