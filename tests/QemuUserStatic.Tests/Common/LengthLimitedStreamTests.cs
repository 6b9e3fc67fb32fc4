using QemuUserStatic.Common;

// Not QemuUserStatic.Tests.Common: that namespace would hide QemuUserStatic.Common from the tests that write Common.Sha256Hex.
namespace QemuUserStatic.Tests.Common;

[Category("Unit")]
public class LengthLimitedStreamTests
{
    private static MemoryStream Bytes(int count) => new([.. Enumerable.Range(0, count).Select(i => (byte)i)]);

    [Test]
    public void Reads_exactly_its_length_and_leaves_the_rest_of_the_inner_stream()
    {
        var inner = Bytes(100);
        using var member = new LengthLimitedStream(inner, 30);
        var buffer = new byte[64];

        var read = member.ReadAtLeast(buffer, 64, throwOnEndOfStream: false);

        Assert.That(read, Is.EqualTo(30));
        Assert.That(buffer[..30], Is.EqualTo(Enumerable.Range(0, 30).Select(i => (byte)i)));
        Assert.That(member.Read(buffer, 0, buffer.Length), Is.Zero, "past the end reads 0");
        Assert.That(member.Remaining, Is.Zero);
        Assert.That(member.Position, Is.EqualTo(30));
        Assert.That(member.Length, Is.EqualTo(30));
        Assert.That(inner.Position, Is.EqualTo(30), "nothing beyond the member is read");
    }

    [Test]
    public void SkipRest_moves_the_inner_stream_to_the_end_of_the_member()
    {
        var inner = Bytes(300_000);
        using var member = new LengthLimitedStream(inner, 200_000);
        member.ReadExactly(new byte[5]);

        member.SkipRest();

        Assert.That(inner.Position, Is.EqualTo(200_000));
        Assert.That(member.Remaining, Is.Zero);
        Assert.That(inner.ReadByte(), Is.EqualTo(200_000 % 256));
    }

    [Test]
    public void A_short_inner_stream_is_a_truncated_archive()
    {
        using var member = new LengthLimitedStream(Bytes(10), 25);
        member.ReadExactly(new byte[10]);

        var ex = Assert.Throws<EndOfStreamException>(() => member.ReadByte());
        Assert.That(ex!.Message, Is.EqualTo("unexpected end of data: 15 more bytes expected"));
    }

    [Test]
    public void It_is_read_only_and_forward_only()
    {
        using var member = new LengthLimitedStream(Bytes(10), 5);

        Assert.That((member.CanRead, member.CanSeek, member.CanWrite), Is.EqualTo((true, false, false)));
        Assert.Throws<NotSupportedException>(() => member.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => member.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => member.Position = 1);
    }

    [Test]
    public void Disposing_leaves_the_inner_stream_open_by_default()
    {
        var inner = Bytes(10);
        new LengthLimitedStream(inner, 5).Dispose();
        Assert.That(inner.CanRead, Is.True);

        new LengthLimitedStream(inner, 5, leaveOpen: false).Dispose();
        Assert.That(inner.CanRead, Is.False);
    }
}
