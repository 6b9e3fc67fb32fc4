using System.Runtime.InteropServices;

namespace QemuUserStatic.Archives.Xz;

/// <summary>
/// One liblzma decoder in native memory the GC never moves: an <see cref="LzmaStream"/> followed by its input
/// buffer. Released (lzma_end, then the memory freed) once, on dispose or by the finalizer.
/// </summary>
internal sealed unsafe class LzmaDecoderHandle : SafeHandle
{
    /// <summary>Bytes of compressed input handed to liblzma at a time.</summary>
    public const int InputSize = 1 << 18;

    private LzmaDecoderHandle()
        : base(0, ownsHandle: true)
    {
        // Zero-filled: LZMA_STREAM_INIT, on which lzma_end is harmless even if no decoder was set up.
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)(sizeof(LzmaStream) + InputSize)));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>The lzma_stream; valid while the handle is open (callers hold a reference on it).</summary>
    public LzmaStream* Stream => (LzmaStream*)handle;

    /// <summary>The input buffer of <see cref="InputSize"/> bytes.</summary>
    public byte* Input => (byte*)handle + sizeof(LzmaStream);

    /// <summary>
    /// A decoder set up with <paramref name="options"/>: multi-threaded where the system's liblzma has
    /// lzma_stream_decoder_mt, else single-threaded, both concatenated like xz(1).
    /// </summary>
    public static LzmaDecoderHandle Create(XzDecoderOptions options, bool multiThreaded)
    {
        var decoder = new LzmaDecoderHandle();
        LzmaRet ret;
        if (multiThreaded)
        {
            var mt = new LzmaMt
            {
                Flags = LibLzma.Concatenated | LibLzma.TellUnsupportedCheck,
                Threads = (uint)Math.Max(1, options.Threads),
                Timeout = 0, // lzma_code waits until it has output: the workers always get on.
                MemlimitThreading = options.MemlimitThreading,
                MemlimitStop = options.MemlimitStop,
            };
            ret = LibLzma.StreamDecoderMt(decoder.Stream, &mt);
        }
        else
        {
            ret = LibLzma.StreamDecoder(decoder.Stream, options.MemlimitStop, LibLzma.Concatenated | LibLzma.TellUnsupportedCheck);
        }

        if (ret != LzmaRet.Ok)
        {
            decoder.Dispose();
            throw LzmaErrors.Describe(ret, 0, 0, options.MemlimitStop);
        }

        return decoder;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibLzma.End(Stream);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
