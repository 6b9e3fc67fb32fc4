using System.Diagnostics;
using System.Text;
using QemuUserStatic.Archives.Cpio;
using QemuUserStatic.Archives.Tar;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Deb;
using QemuUserStatic.Packages.Rpm;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Hostile;

/// <summary>
/// The fuzz pass of issue 16: small real-shaped inputs (a .deb and tars made here, a small RPM from rpmbuild and its
/// cpio payload) mutated with a fixed seed for a bounded time, each run through the readers in-process. Every
/// outcome must be success or a <see cref="UserException"/>: never another exception type, and never more than
/// <see cref="AllocationLimit"/> allocated for one input (the readers check what a package declares first).
/// </summary>
public class ReaderFuzzTests : TempDirTest
{
    private const long AllocationLimit = 64L << 20;
    private static readonly TimeSpan TimePerReader = TimeSpan.FromSeconds(6);

    [Test]
    public void Deb_reader() => Fuzz(1601, DebBuilder.Write(Temp["seed.deb"]), ReadPackage(DebPackage.Open), resize: true);

    [Test]
    public void Tar_reader()
    {
        var tar = new RawTar().Pax(("path", "./usr/bin/qemu-aarch64-static"), ("size", "3000")).File("x", DebBuilder.Emulator)
            .Declared('L', 30, Encoding.ASCII.GetBytes("./usr/bin/qemu-arm-static\0\0\0\0\0".PadRight(512, '\0')))
            .SymbolicLink("./usr/bin/y", "qemu-aarch64-static").Directory("./usr/").ToArray();
        Fuzz(1602, Write("seed.tar", tar), path => PackageErrors.Guard(path, () =>
        {
            using var file = File.OpenRead(path);
            var reader = new TarArchiveReader(file);
            while (reader.GetNextEntry() is { } entry)
            {
                EntryPath.Normalize(entry.Name);
                entry.DataStream.CopyTo(Stream.Null);
            }
        }), resize: true);
    }

    [Test]
    public void Rpm_reader_with_every_digest_recomputed()
    {
        // Header and payload edits with the digests over them made right again, so that the parsers behind them are reached.
        var rpm = SmallRpm();
        var random = new Random(1603);
        var round = 0;
        Fuzz(1603, rpm, _ =>
        {
            var crafted = RpmSurgery.Craft(rpm, Temp["crafted.rpm"],
                editHeader: round % 2 == 0 ? header => Mutate(header, random, 1, header.Length) : null,
                editPayload: round++ % 2 == 1 ? payload => Mutate(payload, random, 0, payload.Length) : null);
            return Measured(() => ReadPackage(RpmPackage.Open)(crafted));
        }, resize: false, measure: false);
    }

    [Test]
    public void Rpm_reader() => Fuzz(1604, SmallRpm(), ReadPackage(RpmPackage.Open), resize: true);

    [Test]
    public void Cpio_reader()
    {
        using var package = RpmPackage.Open(SmallRpm());
        var cpio = File.ReadAllBytes(package.Identity.Path)[(int)package.PayloadOffset..];
        Fuzz(1605, Write("seed.cpio", cpio), path => PackageErrors.Guard(path, () =>
        {
            using var reader = new CpioReader(File.OpenRead(path));
            foreach (var entry in reader.ReadAll())
            {
                EntryPath.Normalize(entry.Name);
                entry.DataStream.CopyTo(Stream.Null);
            }
        }), resize: true);
    }

    /// <summary>A Fedora-shaped RPM (uncompressed payload) holding one tiny fake emulator: fast to mutate and read.</summary>
    private static string SmallRpm()
    {
        var folder = PackageFixtures.CachedFolder("tiny-emulator", staging =>
        {
            Directory.CreateDirectory(staging);
            File.WriteAllBytes(Path.Combine(staging, "qemu-s390x-static"), DebBuilder.Emulator);
        });
        return PackageFixtures.FedoraSplit(["s390x"], payload: "w0.ufdio", emulatorFolder: folder).Single();
    }

    private static Action<string> ReadPackage(Func<string, SinglePassPackage> open) => path =>
    {
        using var package = open(path);
        foreach (var entry in package.ReadEntries())
        {
            entry.Content.ReadToEnd();
        }
    };

    private string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(Temp[name], bytes);
        return Temp[name];
    }

    private void Fuzz(int seed, string input, Action<string> read, bool resize) =>
        Fuzz(seed, input, path => Measured(() => read(path)), resize, measure: true);

    /// <summary>
    /// Mutates <paramref name="input"/> until the time is up, and runs <paramref name="read"/> on each mutant; fails on
    /// the first outcome that is neither success nor a user error, or that allocated too much.
    /// </summary>
    private void Fuzz(int seed, string input, Func<string, long> read, bool resize, bool measure)
    {
        var random = new Random(seed);
        var original = File.ReadAllBytes(input);
        var mutant = Temp["mutant" + Path.GetExtension(input)];
        var clock = Stopwatch.StartNew();
        int runs = 0, refused = 0;
        for (; clock.Elapsed < TimePerReader; runs++)
        {
            var bytes = (byte[])original.Clone();
            if (measure)
            {
                bytes = Mutate(bytes, random, 0, bytes.Length, resize);
            }

            File.WriteAllBytes(mutant, bytes);
            try
            {
                var allocated = read(measure ? mutant : input);
                Assert.That(allocated, Is.LessThan(AllocationLimit), $"run {runs} (seed {seed}) allocated {allocated} bytes");
            }
            catch (UserException)
            {
                refused++;
            }
            catch (Exception ex) when (ex is not AssertionException)
            {
                File.Copy(mutant, Temp["failing" + Path.GetExtension(input)], overwrite: true);
                Assert.Fail($"run {runs} (seed {seed}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }

        TestContext.Out.WriteLine($"{runs} runs, {refused} refused with a user error");
        Assert.That(runs, Is.GreaterThan(20), "the time bound leaves room for some runs");
    }

    /// <summary>Bytes allocated by this thread while <paramref name="read"/> ran (a user error rethrown after measuring).</summary>
    private static long Measured(Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read();
        }
        catch (UserException) when (GC.GetAllocatedBytesForCurrentThread() - before is var allocated && allocated > AllocationLimit)
        {
            Assert.Fail($"a refused input allocated {allocated} bytes first");
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>One to eight edits in [<paramref name="from"/>, <paramref name="to"/>): flipped bits, boundary values, cuts, repeats.</summary>
    private static byte[] Mutate(byte[] bytes, Random random, int from, int to, bool resize = false)
    {
        byte[] Interesting() => random.Next(6) switch
        {
            0 => [0x7f, 0xff, 0xff, 0xff],
            1 => [0xff, 0xff, 0xff, 0xff],
            2 => [0x80, 0, 0, 0],
            3 => "7777"u8.ToArray(),
            4 => "9999"u8.ToArray(),
            _ => [0, 0, 0, 0],
        };

        for (var edits = random.Next(1, 9); edits > 0 && to - from > 4; edits--)
        {
            var at = random.Next(from, to - 4);
            switch (random.Next(resize ? 5 : 3))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    Interesting().CopyTo(bytes, at);
                    break;
                case 3:
                    bytes = bytes[..at];
                    to = Math.Min(to, bytes.Length);
                    break;
                default:
                    var length = random.Next(1, Math.Min(600, bytes.Length - at));
                    bytes = [.. bytes[..(at + length)], .. bytes[at..]];
                    break;
            }
        }

        return bytes;
    }
}
