using System.Security.Cryptography;
using QemuUserStatic.Common;

// Not QemuUserStatic.Tests.Common: that namespace would hide QemuUserStatic.Common from the tests that write Common.Sha256Hex.
namespace QemuUserStatic.Tests.Common;

[Category("Unit")]
public class HashingStreamTests
{
    private static readonly byte[] Data = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7))];

    [Test]
    public void Reading_in_odd_chunks_gives_the_sha256_and_count_of_the_whole()
    {
        using var hashing = HashingStream.Sha256(new MemoryStream(Data));
        var buffer = new byte[4093];
        while (hashing.Read(buffer, 0, buffer.Length) > 0)
        {
        }

        Assert.That(hashing.HexDigest(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Data))));
        Assert.That(hashing.BytesHashed, Is.EqualTo(Data.Length));
        Assert.That(hashing.Position, Is.EqualTo(Data.Length));
    }

    [Test]
    public void Writing_hashes_what_reaches_the_inner_stream()
    {
        var inner = new MemoryStream();
        using (var hashing = new HashingStream(inner, HashAlgorithmName.SHA512, leaveOpen: true))
        {
            hashing.Write(Data, 0, 1000);
            hashing.Write(Data.AsSpan(1000));
            Assert.That(hashing.HexDigest(), Is.EqualTo(Convert.ToHexStringLower(SHA512.HashData(Data))));
        }

        Assert.That(inner.ToArray(), Is.EqualTo(Data));
        Assert.That(inner.CanRead, Is.True, "leaveOpen keeps the inner stream usable");
    }

    [Test]
    public void The_digest_so_far_is_of_the_bytes_read_so_far()
    {
        using var hashing = HashingStream.Sha256(new MemoryStream(Data));
        hashing.ReadExactly(new byte[10]);

        Assert.That(hashing.HexDigest(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Data.AsSpan(0, 10)))));
    }

    [Test]
    public void A_counting_stream_counts_and_has_no_digest()
    {
        using var counting = new HashingStream(new MemoryStream(Data), algorithm: null);
        counting.CopyTo(Stream.Null);

        Assert.That(counting.BytesHashed, Is.EqualTo(Data.Length));
        Assert.That(counting.Algorithm, Is.Null);
        Assert.Throws<InvalidOperationException>(() => counting.HexDigest());
    }

    [Test]
    public void It_is_forward_only_unless_it_reports_the_length()
    {
        using var plain = HashingStream.Sha256(new MemoryStream(Data));
        Assert.That(plain.CanSeek, Is.False);
        Assert.Throws<NotSupportedException>(() => _ = plain.Length);
        Assert.Throws<NotSupportedException>(() => plain.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => plain.Position = 5);

        using var sized = new HashingStream(new MemoryStream(Data), HashAlgorithmName.SHA256) { ReportsLength = true };
        Assert.That(sized.CanSeek, Is.True);
        Assert.That(sized.Length, Is.EqualTo(Data.Length));
        Assert.Throws<NotSupportedException>(() => sized.Seek(0, SeekOrigin.Begin));
    }

    [Test]
    public void Disposing_closes_the_inner_stream_unless_left_open()
    {
        var inner = new MemoryStream(Data);
        HashingStream.Sha256(inner).Dispose();

        Assert.That(inner.CanRead, Is.False);
    }
}
