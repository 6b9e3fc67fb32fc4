using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Archives.Xz;

/// <summary>.xz files made at test time by xz(1) from data that is half random, half compressible text.</summary>
internal static class XzFiles
{
    /// <summary><paramref name="size"/> bytes, the same for the same seed: random runs between lines of text.</summary>
    public static byte[] Data(int size, int seed = 1)
    {
        var random = new Random(seed);
        var data = new byte[size];
        var text = "qemu-user-static: the emulators of every guest architecture, linked statically.\n"u8;
        for (var at = 0; at < size;)
        {
            var run = Math.Min(size - at, random.Next(1, 64 * 1024));
            if (random.Next(2) == 0)
            {
                random.NextBytes(data.AsSpan(at, run));
            }
            else
            {
                for (var i = 0; i < run; i++)
                {
                    data[at + i] = text[(at + i) % text.Length];
                }
            }

            at += run;
        }

        return data;
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> compressed by <c>xz OPTIONS</c>.</summary>
    public static string Compress(string path, byte[] data, string options)
    {
        File.WriteAllBytes(path + ".in", data);
        ToolProcess.ShellOrThrow($"xz -c {options} '{path}.in' > '{path}'");
        File.Delete(path + ".in");
        return path;
    }

    /// <summary>Everything <paramref name="stream"/> gives, read <paramref name="chunk"/> bytes at a time; disposes it.</summary>
    public static byte[] ReadAll(Stream stream, int chunk = 1 << 16)
    {
        using (stream)
        {
            var output = new MemoryStream();
            var buffer = new byte[chunk];
            int read;
            while ((read = stream.Read(buffer, 0, chunk)) > 0)
            {
                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
    }
}
