using QemuUserStatic.Common;

namespace QemuUserStatic.Archives.Xz;

/// <summary>
/// The decompressed bytes of an .xz file, decoded by the system's liblzma: independent blocks in parallel
/// (lzma_stream_decoder_mt, liblzma 5.4 and later) within <see cref="XzDecoderOptions"/>' memory limits.
/// Concatenated streams and stream padding are read as xz(1) reads them; anything else after the last stream,
/// a truncated or corrupt stream, and one needing more memory than allowed, fail with a one-line
/// <see cref="InvalidDataException"/>. Takes ownership of the compressed stream.
/// </summary>
public sealed unsafe class NativeXzStream : ReadOnlyStream
{
    private readonly Stream compressed;
    private readonly LzmaDecoderHandle decoder;
    private readonly ulong memlimitStop;
    private bool inputEnded;
    private bool finished;
    private InvalidDataException? failure;

    /// <summary>
    /// A decoder over <paramref name="compressed"/>; throws <see cref="InvalidOperationException"/> when
    /// <see cref="IsAvailable"/> is false.
    /// </summary>
    public NativeXzStream(Stream compressed, XzDecoderOptions? options = null)
        : this(compressed, options ?? XzDecoderOptions.Default, IsMultiThreaded)
    {
    }

    /// <summary>A decoder that is multi-threaded only if <paramref name="multiThreaded"/> (tests take both ways).</summary>
    internal NativeXzStream(Stream compressed, XzDecoderOptions options, bool multiThreaded)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"{LibLzma.Name} cannot be loaded");
        }

        this.compressed = compressed;
        memlimitStop = options.MemlimitStop;
        decoder = LzmaDecoderHandle.Create(options, multiThreaded);
    }

    /// <summary>True when the system's liblzma loads (probed once).</summary>
    public static bool IsAvailable => LibLzma.Available != LibLzma.Abilities.None;

    /// <summary>True when it also decodes blocks in parallel (liblzma 5.4 or later).</summary>
    public static bool IsMultiThreaded => LibLzma.Available == LibLzma.Abilities.MultiThreaded;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(decoder.IsClosed, this);
        if (failure is not null)
        {
            throw failure;
        }

        if (buffer.IsEmpty || finished)
        {
            return 0;
        }

        var added = false;
        decoder.DangerousAddRef(ref added);
        try
        {
            fixed (byte* output = buffer)
            {
                return Decode(output, buffer.Length);
            }
        }
        finally
        {
            if (added)
            {
                decoder.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decoder.Dispose();
            compressed.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Runs lzma_code until it writes something into <paramref name="output"/> or the data ends.</summary>
    private int Decode(byte* output, int length)
    {
        var stream = decoder.Stream;
        stream->NextOut = output;
        stream->AvailOut = (nuint)length;
        while (true)
        {
            if (stream->AvailIn == 0 && !inputEnded)
            {
                Refill(stream);
            }

            // Without more input, LZMA_FINISH: a stream that is not complete then is LZMA_BUF_ERROR (truncated).
            var ret = LibLzma.Code(stream, inputEnded ? LzmaAction.Finish : LzmaAction.Run);
            var produced = length - (int)stream->AvailOut;
            stream->NextOut = null;
            if (ret == LzmaRet.StreamEnd)
            {
                finished = true;
                return produced;
            }

            if (ret != LzmaRet.Ok)
            {
                throw failure = Failure(ret);
            }

            if (produced > 0)
            {
                return produced;
            }

            stream->NextOut = output;
        }
    }

    private void Refill(LzmaStream* stream)
    {
        var read = compressed.Read(new Span<byte>(decoder.Input, LzmaDecoderHandle.InputSize));
        inputEnded = read == 0;
        stream->NextIn = decoder.Input;
        stream->AvailIn = (nuint)read;
    }

    private InvalidDataException Failure(LzmaRet ret)
    {
        var stream = decoder.Stream;
        var needed = ret == LzmaRet.MemlimitError ? LibLzma.MemUsage(stream) : 0;
        return LzmaErrors.Describe(ret, stream->TotalIn, needed, memlimitStop);
    }
}
