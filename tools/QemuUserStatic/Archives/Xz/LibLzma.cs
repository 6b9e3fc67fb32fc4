using System.Runtime.InteropServices;

namespace QemuUserStatic.Archives.Xz;

/// <summary>
/// The few functions of the system's liblzma (XZ Utils, Debian's liblzma5) that decoding needs, and the two structs
/// they take, laid out as /usr/include/lzma/base.h and container.h of liblzma 5.4 declare them.
/// </summary>
internal static unsafe partial class LibLzma
{
    /// <summary>The library's soname (Debian/Ubuntu liblzma5, Fedora xz-libs).</summary>
    public const string Name = "liblzma.so.5";

    /// <summary>lzma_stream_decoder's flag: decode every concatenated .xz stream, as xz(1) does.</summary>
    public const uint Concatenated = 0x08;

    /// <summary>lzma_stream_decoder's flag: fail with LZMA_UNSUPPORTED_CHECK on a check ID liblzma does not know.</summary>
    public const uint TellUnsupportedCheck = 0x02;

    private static readonly Lazy<Abilities> Probed = new(Probe);

    /// <summary>What the system's liblzma offers, probed once: none when it is missing.</summary>
    public static Abilities Available => Probed.Value;

    [LibraryImport(Name, EntryPoint = "lzma_stream_decoder")]
    public static partial LzmaRet StreamDecoder(LzmaStream* strm, ulong memlimit, uint flags);

    [LibraryImport(Name, EntryPoint = "lzma_stream_decoder_mt")]
    public static partial LzmaRet StreamDecoderMt(LzmaStream* strm, LzmaMt* options);

    [LibraryImport(Name, EntryPoint = "lzma_code")]
    public static partial LzmaRet Code(LzmaStream* strm, LzmaAction action);

    [LibraryImport(Name, EntryPoint = "lzma_end")]
    public static partial void End(LzmaStream* strm);

    [LibraryImport(Name, EntryPoint = "lzma_memusage")]
    public static partial ulong MemUsage(LzmaStream* strm);

    private static Abilities Probe()
    {
        if (!NativeLibrary.TryLoad(Name, typeof(LibLzma).Assembly, null, out var library))
        {
            return Abilities.None;
        }

        // The library stays loaded: the P/Invoke stubs above bind to the same one.
        return NativeLibrary.TryGetExport(library, "lzma_stream_decoder_mt", out _) ? Abilities.MultiThreaded : Abilities.SingleThreaded;
    }

    /// <summary>How much of liblzma this machine has.</summary>
    public enum Abilities
    {
        /// <summary>No liblzma.so.5.</summary>
        None,

        /// <summary>liblzma before 5.4: lzma_stream_decoder only.</summary>
        SingleThreaded,

        /// <summary>liblzma 5.4 or later: lzma_stream_decoder_mt too.</summary>
        MultiThreaded,
    }
}

/// <summary>lzma_ret: what liblzma's functions return.</summary>
internal enum LzmaRet
{
    Ok = 0,
    StreamEnd = 1,
    NoCheck = 2,
    UnsupportedCheck = 3,
    GetCheck = 4,
    MemError = 5,
    MemlimitError = 6,
    FormatError = 7,
    OptionsError = 8,
    DataError = 9,
    BufError = 10,
    ProgError = 11,
    SeekNeeded = 12,
}

/// <summary>lzma_action: how lzma_code is to go on.</summary>
internal enum LzmaAction
{
    Run = 0,
    Finish = 3,
}

/// <summary>lzma_stream (base.h): 136 bytes on 64-bit; zero-filled is LZMA_STREAM_INIT.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaStream
{
    public byte* NextIn;
    public nuint AvailIn;
    public ulong TotalIn;
    public byte* NextOut;
    public nuint AvailOut;
    public ulong TotalOut;
    public nint Allocator;
    public nint Internal;
    public nint ReservedPtr1;
    public nint ReservedPtr2;
    public nint ReservedPtr3;
    public nint ReservedPtr4;
    public ulong SeekPos;
    public ulong ReservedInt2;
    public nuint ReservedInt3;
    public nuint ReservedInt4;
    public int ReservedEnum1;
    public int ReservedEnum2;
}

/// <summary>lzma_mt (container.h): the multi-threaded coders' options, 128 bytes on 64-bit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LzmaMt
{
    public uint Flags;
    public uint Threads;
    public ulong BlockSize;
    public uint Timeout;
    public uint Preset;
    public nint Filters;
    public int Check;
    public int ReservedEnum1;
    public int ReservedEnum2;
    public int ReservedEnum3;
    public uint ReservedInt1;
    public uint ReservedInt2;
    public uint ReservedInt3;
    public uint ReservedInt4;
    public ulong MemlimitThreading;
    public ulong MemlimitStop;
    public ulong ReservedInt7;
    public ulong ReservedInt8;
    public nint ReservedPtr1;
    public nint ReservedPtr2;
    public nint ReservedPtr3;
    public nint ReservedPtr4;
}
