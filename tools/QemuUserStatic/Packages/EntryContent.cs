using System.Security.Cryptography;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Packages;

/// <summary>
/// A file's content as read from a package: computes SHA-256 (and the package's own digest algorithm, if
/// another) while the caller reads, and checks the package's stated digest as soon as the last byte is read —
/// so verifying costs no second pass. A mismatch or a short read is a <see cref="UserException"/> naming the
/// package and the file.
/// </summary>
public sealed class EntryContent : Stream
{
    private readonly Stream data;
    private readonly string package;
    private readonly string path;
    private readonly ExpectedDigest? expected;
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? other;
    private long consumed;
    private bool expired;

    /// <summary>Content of <paramref name="size"/> bytes read from <paramref name="data"/>, checked against <paramref name="expected"/>.</summary>
    public EntryContent(Stream data, long size, string package, string path, ExpectedDigest? expected)
    {
        this.data = data;
        this.package = package;
        this.path = path;
        this.expected = expected;
        Size = size;
        if (expected is not null && expected.Algorithm != HashAlgorithmName.SHA256)
        {
            other = IncrementalHash.CreateHash(expected.Algorithm);
        }

        if (size == 0)
        {
            Finish();
        }
    }

    /// <summary>No content (directories, links); shared, as there is nothing to read or check.</summary>
    public static EntryContent Empty { get; } = new(Null, 0, "", "", null);

    /// <summary>Size in bytes.</summary>
    public long Size { get; }

    /// <summary>SHA-256 of the content, lower-case hex, once every byte has been read; null before.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>The digest the package states for this file, checked when the last byte is read; null when it states none.</summary>
    public ExpectedDigest? Expected => expected;

    /// <summary>True when the package stated a digest for this file and the content matched it.</summary>
    public bool Verified { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => Size;

    /// <inheritdoc />
    public override long Position
    {
        get => consumed;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the rest of the content (checking it) without keeping it.</summary>
    public void ReadToEnd() => CopyTo(Null, 1 << 20);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (expired && consumed < Size)
        {
            throw new InvalidOperationException($"the content of {path} was read after the next entry was requested");
        }

        var wanted = (int)Math.Min(buffer.Length, Size - consumed);
        if (wanted == 0)
        {
            return 0;
        }

        int read;
        try
        {
            read = data.Read(buffer[..wanted]);
        }
        catch (Exception ex) when (PackageErrors.Describe(package, ex) is { } described && described != ex)
        {
            throw described;
        }

        if (read == 0)
        {
            throw new UserException($"{package}: truncated: {path} ends {Size - consumed} bytes early");
        }

        sha256.AppendData(buffer[..read]);
        other?.AppendData(buffer[..read]);
        consumed += read;
        if (consumed == Size)
        {
            Finish();
        }

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

    /// <summary>Marks the content as gone: the package reader has moved to the next entry.</summary>
    internal void Expire() => expired = true;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha256.Dispose();
            other?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Finish()
    {
        Sha256 = Convert.ToHexStringLower(sha256.GetCurrentHash());
        if (expected is null)
        {
            return;
        }

        var actual = other is null ? Sha256 : Convert.ToHexStringLower(other.GetCurrentHash());
        if (!string.Equals(actual, expected.Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new UserException(
                $"{package}: {path}: {expected.Algorithm.Name} digest mismatch: {expected.Source} says {expected.Hex.ToLowerInvariant()}, the content has {actual}");
        }

        Verified = true;
    }
}
