using System.Text;
using QemuUserStatic.Archives;
using QemuUserStatic.Archives.Cpio;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Archives.Cpio;

/// <summary>The cpio "newc" reader against archives written by GNU cpio: padding, empty files, links, odd name lengths.</summary>
public class CpioReaderTests
{
    [Test]
    public void Reads_what_GNU_cpio_writes()
    {
        using var temp = new TempDir("cpio");
        var root = temp["root"];
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        File.WriteAllText(Path.Combine(root, "usr", "bin", "a"), "1");
        File.WriteAllText(Path.Combine(root, "usr", "bin", "bb"), "22");
        File.WriteAllText(Path.Combine(root, "usr", "bin", "ccc"), "333");
        File.WriteAllText(Path.Combine(root, "empty"), "");
        File.CreateSymbolicLink(Path.Combine(root, "usr", "bin", "link"), "ccc");
        ToolProcess.ShellOrThrow("find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../archive.cpio", workingDirectory: root);

        using var reader = new CpioReader(File.OpenRead(temp["archive.cpio"]));
        var seen = new Dictionary<string, string>();
        foreach (var entry in reader.ReadAll())
        {
            seen[entry.Name] = entry.Type switch
            {
                ArchiveEntryType.RegularFile => "file:" + new StreamReader(entry.DataStream, Encoding.ASCII).ReadToEnd(),
                ArchiveEntryType.SymbolicLink => "link:" + entry.LinkTarget,
                var other => other.ToString(),
            };
        }

        Assert.That(seen, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["."] = "Directory",
            ["empty"] = "file:",
            ["usr"] = "Directory",
            ["usr/bin"] = "Directory",
            ["usr/bin/a"] = "file:1",
            ["usr/bin/bb"] = "file:22",
            ["usr/bin/ccc"] = "file:333",
            ["usr/bin/link"] = "link:ccc",
        }));
    }

    [Test]
    public void Skips_unread_data_and_stops_at_the_trailer()
    {
        using var temp = new TempDir("cpio");
        File.WriteAllBytes(temp["big"], new byte[100_003]);
        File.WriteAllText(temp["after"], "x");
        ToolProcess.ShellOrThrow("printf 'big\\nafter\\n' | cpio -o -H newc --quiet > archive.cpio && printf 'garbage' >> archive.cpio", workingDirectory: temp.Path);
        using var reader = new CpioReader(File.OpenRead(temp["archive.cpio"]));
        Assert.That(reader.ReadAll().Select(e => $"{e.Name}:{e.Size}"), Is.EqualTo(new[] { "big:100003", "after:1" }));
    }

    [Test]
    public void Truncated_archive_is_an_end_of_stream()
    {
        using var temp = new TempDir("cpio");
        File.WriteAllBytes(temp["big"], new byte[10_000]);
        ToolProcess.ShellOrThrow("echo big | cpio -o -H newc --quiet | head -c 5000 > archive.cpio", workingDirectory: temp.Path);
        using var reader = new CpioReader(File.OpenRead(temp["archive.cpio"]));
        Assert.Throws<EndOfStreamException>(() => reader.ReadAll().ToList());
    }

    [Test]
    public void Another_format_is_invalid_data()
    {
        using var temp = new TempDir("cpio");
        File.WriteAllText(temp["a"], "a");
        ToolProcess.ShellOrThrow("echo a | cpio -o -H odc --quiet > archive.cpio", workingDirectory: temp.Path);
        using var reader = new CpioReader(File.OpenRead(temp["archive.cpio"]));
        Assert.That(Assert.Throws<InvalidDataException>(() => reader.GetNextEntry())!.Message, Does.Contain("not a cpio \"newc\" archive"));
    }
}
