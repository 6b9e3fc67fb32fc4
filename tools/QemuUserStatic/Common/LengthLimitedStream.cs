namespace QemuUserStatic.Common;

/// <summary>
/// A read-only view of the next <c>length</c> bytes of a forward-only stream (an archive member's data). Reading
/// past the end returns 0; <see cref="SkipRest"/> moves the inner stream to the end of the member. A short inner
/// stream is a truncated archive: <see cref="EndOfStreamException"/>. Disposing it leaves the inner stream open
/// unless <c>leaveOpen</c> is false.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long length, bool leaveOpen = true) : Stream
{
    private readonly long size = length;
    private long remaining = length;

    /// <summary>Bytes not read yet.</summary>
    public long Remaining => remaining;

    /// <summary>Reads and discards what is left of the member.</summary>
    public void SkipRest()
    {
        if (remaining == 0)
        {
            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => size;

    /// <inheritdoc />
    public override long Position
    {
        get => size - remaining;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, remaining);
        var read = inner.Read(buffer[..wanted]);
        if (read == 0)
        {
            throw new EndOfStreamException($"unexpected end of data: {remaining} more bytes expected");
        }

        remaining -= read;
        return read;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
