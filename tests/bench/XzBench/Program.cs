// Usage: XzBench FILE.xz [THREADS]. Decodes FILE through Decompression.Open (QUS_XZ=managed picks SharpCompress's
// decoder) or, with THREADS, through NativeXzStream with that many threads, and prints the decoded size.
using QemuUserStatic.Archives;
using QemuUserStatic.Archives.Xz;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: XzBench FILE.xz [THREADS]");
    return 2;
}

var file = File.OpenRead(args[0]);
using var decoded = args.Length == 2
    ? new NativeXzStream(file, XzDecoderOptions.Default with { Threads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) })
    : Decompression.Open(Decompression.Xz, file);
var buffer = new byte[1 << 16];
long total = 0;
int read;
while ((read = decoded.Read(buffer)) > 0)
{
    total += read;
}

Console.WriteLine(total);
return 0;
