namespace QemuUserStatic.Archives.Xz;

/// <summary>
/// Bounds for <see cref="NativeXzStream"/>. Debian packs qemu-user with <c>xz -6</c>: 8 MiB dictionaries, 9 MiB
/// to decode one block, 24 MiB blocks. A worker thread holds one whole block in and out (about 37 MiB for those),
/// so <see cref="MemlimitThreading"/> caps how many run at once; <see cref="MemlimitStop"/> refuses streams whose
/// headers ask for more than any sane package needs (<see cref="Packages.PackageLimits.MaxXzDecoderMemory"/>:
/// <c>xz -9</c>'s 64 MiB dictionary needs 65 MiB).
/// </summary>
/// <param name="Threads">Worker threads at most; 1 decodes in the calling thread.</param>
/// <param name="MemlimitThreading">Bytes the decoder may use for threads before it runs fewer of them.</param>
/// <param name="MemlimitStop">Bytes past which decoding fails (LZMA_MEMLIMIT_ERROR) before allocating them.</param>
public sealed record XzDecoderOptions(int Threads, ulong MemlimitThreading, ulong MemlimitStop)
{
    /// <summary>One mebibyte.</summary>
    public const ulong MiB = 1 << 20;

    /// <summary>
    /// The machine's cores up to 4, 96 MiB for threads (two of Debian's 37 MiB workers, or fewer when blocks
    /// are bigger) and 128 MiB in all.
    /// </summary>
    public static XzDecoderOptions Default { get; } =
        new(Math.Clamp(Environment.ProcessorCount, 1, 4), 96 * MiB, Packages.PackageLimits.MaxXzDecoderMemory);
}
