using System.Runtime.InteropServices;
using QemuUserStatic.Archives;
using QemuUserStatic.Archives.Xz;
using QemuUserStatic.Tests.Support;
using SharpCompress.Compressors.Xz;

namespace QemuUserStatic.Tests.Archives.Xz;

/// <summary>The liblzma decoder against files xz(1) writes, against SharpCompress's managed decoder, and on bad input.</summary>
public class NativeXzStreamTests : TempDirTest
{
    private static readonly byte[] Data = XzFiles.Data(3 << 20);

    [OneTimeSetUp]
    public void NeedsLiblzma() => Assume.That(NativeXzStream.IsAvailable, "liblzma.so.5 loads on Debian and Ubuntu");

    [TestCase("-T2 --block-size=256KiB", true)]
    [TestCase("-T2 --block-size=256KiB", false)]
    [TestCase("-6", true)]
    [TestCase("--check=crc32", true)]
    [TestCase("--check=crc64", true)]
    [TestCase("--check=sha256", true)]
    [TestCase("--check=none --block-size=1MiB", true)]
    [TestCase("--check=none", false)]
    public void Decodes_what_xz_writes_byte_for_byte_like_the_managed_decoder(string options, bool multiThreaded)
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, options);
        var native = XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file), XzDecoderOptions.Default, multiThreaded));
        Assert.That(native, Is.EqualTo(Data));
        Assert.That(XzFiles.ReadAll(new XZStream(File.OpenRead(file))), Is.EqualTo(native));
    }

    [Test]
    public void Decompression_uses_it_for_xz_unless_told_otherwise()
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "-T2 --block-size=1MiB");
        using var stream = Decompression.Open(Decompression.Xz, File.OpenRead(file));
        Assert.That(stream, Is.InstanceOf<NativeXzStream>(), "QUS_XZ=managed would choose SharpCompress's");
        Assert.That(XzFiles.ReadAll(stream), Is.EqualTo(Data));
    }

    [Test]
    public void Reads_one_byte_at_a_time()
    {
        var small = XzFiles.Data(300_000, seed: 2);
        var file = XzFiles.Compress(Temp["small.xz"], small, "-T2 --block-size=64KiB");
        Assert.That(XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file)), chunk: 1), Is.EqualTo(small));
        using var stream = new NativeXzStream(File.OpenRead(file));
        Assert.That(Enumerable.Range(0, 3).Select(_ => stream.ReadByte()), Is.EqualTo(small.Take(3).Select(b => (int)b)));
    }

    [Test]
    public void Concatenated_streams_and_padding_decode_as_xz_decodes_them()
    {
        var second = XzFiles.Data(100_000, seed: 3);
        var file = Temp["both.xz"];
        var bytes = File.ReadAllBytes(XzFiles.Compress(Temp["a.xz"], Data, "--block-size=1MiB"))
            .Concat(new byte[8]) // stream padding: a multiple of four zero bytes
            .Concat(File.ReadAllBytes(XzFiles.Compress(Temp["b.xz"], second, "--check=sha256"))).ToArray();
        File.WriteAllBytes(file, bytes);
        var native = XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file)));
        Assert.That(native, Is.EqualTo(Data.Concat(second)));
        Assert.That(ToolProcess.ShellOrThrow($"xz -dc '{file}' | wc -c").Trim(), Is.EqualTo(native.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Garbage_after_the_stream_is_refused_as_xz_refuses_it()
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "--block-size=1MiB");
        var length = new FileInfo(file).Length;
        File.AppendAllText(file, "garbage after the end of the stream");
        Assert.That(ToolProcess.Shell($"xz -t '{file}'").ExitCode, Is.Not.Zero);
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file))),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo($"xz: corrupt data at compressed byte {length + 12}"));

        // Fewer bytes than a stream header: what follows the stream is an unfinished next stream.
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..(int)(length + 5)]);
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file))),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("truncated xz stream"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_corrupt_byte_in_the_middle_is_invalid_data(bool multiThreaded)
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "-T2 --block-size=1MiB");
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(file, bytes);
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file), XzDecoderOptions.Default, multiThreaded)),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("xz: corrupt data at compressed byte"));
    }

    [TestCase(0.5, true)]
    [TestCase(0.5, false)]
    [TestCase(0.999, true)]
    [TestCase(0.0, true)]
    public void A_truncated_file_is_invalid_data(double kept, bool multiThreaded)
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "-T2 --block-size=1MiB");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(int)(bytes.Length * kept)]);
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file), XzDecoderOptions.Default, multiThreaded)),
            Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith("truncated xz stream"));
    }

    [TestCase(true, "xz: the stream needs more memory to decode than the limit 128 MiB")]
    [TestCase(false, "xz: the stream needs 1537 MiB to decode, more than the limit 128 MiB")]
    public void A_huge_dictionary_fails_on_the_memory_limit_before_allocating(bool multiThreaded, string error)
    {
        // The header of a five-byte stream asks for a 1.5 GiB dictionary: 1537 MiB to decode.
        ToolProcess.ShellOrThrow($"printf hello | xz --lzma2=dict=1536MiB > '{Temp["huge.xz"]}'");
        var before = Environment.WorkingSet;
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(Temp["huge.xz"]), XzDecoderOptions.Default, multiThreaded)),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo(error));
        Assert.That(Environment.WorkingSet - before, Is.LessThan(64L << 20), "nothing near the dictionary was allocated");
    }

    [Test]
    public void A_stricter_limit_refuses_what_xz_6_needs()
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "-6");
        var options = XzDecoderOptions.Default with { MemlimitStop = 4 * XzDecoderOptions.MiB };
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(file), options, multiThreaded: false)),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("xz: the stream needs 9 MiB to decode, more than the limit 4 MiB"));
    }

    [Test]
    public void Not_xz_is_a_format_error()
    {
        File.WriteAllText(Temp["text.xz"], "this is not compressed at all");
        Assert.That(() => XzFiles.ReadAll(new NativeXzStream(File.OpenRead(Temp["text.xz"]))),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("xz: not an xz stream near compressed byte 12 (bad magic)"));
    }

    [Test]
    public void Disposing_twice_is_safe_and_reading_after_it_is_not()
    {
        var file = XzFiles.Compress(Temp["data.xz"], Data, "-T2 --block-size=1MiB");
        var stream = new NativeXzStream(File.OpenRead(file));
        Assert.That(stream.Read(new byte[10]), Is.EqualTo(10));
        stream.Dispose();
        Assert.That(stream.Dispose, Throws.Nothing);
        Assert.That(() => stream.Read(new byte[10]), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void Structs_are_laid_out_as_liblzma_5_4_declares_them_on_64_bit()
    {
        Assume.That(Environment.Is64BitProcess);
        Assert.That(Marshal.SizeOf<LzmaStream>(), Is.EqualTo(136));
        Assert.That(Marshal.OffsetOf<LzmaStream>(nameof(LzmaStream.Internal)), Is.EqualTo((nint)56));
        Assert.That(Marshal.OffsetOf<LzmaStream>(nameof(LzmaStream.SeekPos)), Is.EqualTo((nint)96));
        Assert.That(Marshal.SizeOf<LzmaMt>(), Is.EqualTo(128));
        Assert.That(Marshal.OffsetOf<LzmaMt>(nameof(LzmaMt.Filters)), Is.EqualTo((nint)24));
        Assert.That(Marshal.OffsetOf<LzmaMt>(nameof(LzmaMt.MemlimitThreading)), Is.EqualTo((nint)64));
        Assert.That(Marshal.OffsetOf<LzmaMt>(nameof(LzmaMt.MemlimitStop)), Is.EqualTo((nint)72));
    }
}
