using System.Text;
using QemuUserStatic.Archives.Ar;

namespace QemuUserStatic.Tests.Archives.Ar;

[Category("Unit")]
public class ArReaderTests
{
    // One 60-byte member header: name(16) mtime(12) uid(6) gid(6) mode(8) size(10) "`\n".
    private static string Header(string name, string mtime, string size) =>
        $"{name,-16}{mtime,-12}{"0",-6}{"0",-6}{"100644",-8}{size,-10}`\n";

    private static MemoryStream Archive(params string[] parts) => new(Encoding.ASCII.GetBytes("!<arch>\n" + string.Concat(parts)));

    private static string Read(ArMember member) => new StreamReader(member.DataStream).ReadToEnd();

    [Test]
    public void Reads_members_in_order_with_padding_and_gnu_names()
    {
        using var archive = Archive(
            Header("debian-binary", "1700000000", "4"), "2.0\n",
            Header("odd/", "0", "3"), "abc", "\n",
            Header("last", "", "1"), "z");
        var reader = new ArReader(archive);

        var first = reader.GetNextMember()!;
        Assert.That((first.Name, first.ModificationTime, first.Offset, first.Size), Is.EqualTo(("debian-binary", 1700000000L, 68L, 4L)));
        Assert.That(Read(first), Is.EqualTo("2.0\n"));

        var second = reader.GetNextMember()!;
        Assert.That((second.Name, second.Offset, second.Size), Is.EqualTo(("odd", 132L, 3L)));
        Assert.That(Read(second), Is.EqualTo("abc"));

        var third = reader.GetNextMember()!;
        Assert.That((third.Name, third.ModificationTime, third.Offset), Is.EqualTo(("last", 0L, 196L)), "odd member padded to an even offset");
        Assert.That(Read(third), Is.EqualTo("z"));
        Assert.That(reader.GetNextMember(), Is.Null, "the last member's padding may be missing");
    }

    [Test]
    public void Unread_data_of_a_member_is_skipped()
    {
        using var archive = Archive(Header("big", "0", "1000"), new string('x', 1000), Header("next", "0", "2"), "ok");
        var reader = new ArReader(archive);

        reader.GetNextMember();
        var next = reader.GetNextMember()!;

        Assert.That(next.Name, Is.EqualTo("next"));
        Assert.That(Read(next), Is.EqualTo("ok"));
    }

    [Test]
    public void A_stream_without_the_magic_is_not_an_archive()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new ArReader(new MemoryStream("!<arch"u8.ToArray())));
        Assert.That(ex!.Message, Is.EqualTo("not an ar archive (no !<arch> magic)"));
        Assert.That(ArReader.IsArchive("!<arch>\nrest"u8), Is.True);
        Assert.That(ArReader.IsArchive("<arch>\n"u8), Is.False);
    }

    [Test]
    public void A_header_without_its_end_marker_names_its_offset()
    {
        using var archive = Archive(Header("a", "0", "2"), "ok", Header("b", "0", "1").Replace("`\n", "xx"));
        var reader = new ArReader(archive);
        reader.GetNextMember();

        var ex = Assert.Throws<InvalidDataException>(() => reader.GetNextMember());
        Assert.That(ex!.Message, Is.EqualTo("bad ar member header at offset 70"));
    }

    [TestCase("-5")]
    [TestCase("12ab")]
    [TestCase("1 2")]
    public void A_size_that_is_not_a_decimal_number_is_rejected(string size)
    {
        var reader = new ArReader(Archive(Header("a", "0", size)));

        var ex = Assert.Throws<InvalidDataException>(() => reader.GetNextMember());
        Assert.That(ex!.Message, Is.EqualTo($"bad ar member size '{size}' at offset 8"));
    }

    [Test]
    public void A_truncated_header_or_member_is_the_end_of_the_stream()
    {
        var shortHeader = new ArReader(Archive(Header("a", "0", "2")[..30]));
        Assert.Throws<EndOfStreamException>(() => shortHeader.GetNextMember());

        var shortData = new ArReader(Archive(Header("a", "0", "10"), "abc"));
        var member = shortData.GetNextMember()!;
        Assert.Throws<EndOfStreamException>(() => Read(member));
    }
}
