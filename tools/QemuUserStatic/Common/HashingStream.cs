using System.Security.Cryptography;

namespace QemuUserStatic.Common;

/// <summary>
/// A pass-through stream that counts and hashes every byte read from or written to the inner stream, so a digest
/// costs no second pass over the data. Without an algorithm it only counts. Forward-only: seeking would make the
/// digest meaningless; with <see cref="ReportsLength"/> it still says the inner stream's length, for readers (a tar
/// writer) that need the size up front.
/// </summary>
public sealed class HashingStream(Stream inner, HashAlgorithmName? algorithm, bool leaveOpen = false) : Stream
{
    private readonly IncrementalHash? hash = algorithm is { } name ? IncrementalHash.CreateHash(name) : null;
    private long position;

    /// <summary>A SHA-256 hashing stream.</summary>
    public static HashingStream Sha256(Stream inner, bool leaveOpen = false) => new(inner, HashAlgorithmName.SHA256, leaveOpen);

    /// <summary>
    /// Says the inner stream's <see cref="Length"/> (and <see cref="CanSeek"/> when it can) while still reading it once,
    /// in order; <see cref="Seek"/> keeps throwing.
    /// </summary>
    public bool ReportsLength { get; init; }

    /// <summary>The hash algorithm, null when the stream only counts.</summary>
    public HashAlgorithmName? Algorithm => algorithm;

    /// <summary>Bytes read or written so far.</summary>
    public long BytesHashed => position;

    /// <summary>The digest of everything read or written so far, lower-case hex.</summary>
    public string HexDigest() =>
        Convert.ToHexStringLower((hash ?? throw new InvalidOperationException("a counting stream has no digest")).GetCurrentHash());

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;

    /// <inheritdoc />
    public override bool CanSeek => ReportsLength && inner.CanSeek;

    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc />
    public override long Length => ReportsLength ? inner.Length : throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hash?.AppendData(buffer[..read]);
        position += read;
        return read;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        hash?.AppendData(buffer);
        position += buffer.Length;
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash?.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
