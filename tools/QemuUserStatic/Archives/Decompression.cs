using System.IO.Compression;
using QemuUserStatic.Archives.Xz;
using QemuUserStatic.Common;
using QemuUserStatic.Packages;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.ZStandard;
using SharpCompress.Compressors.ZStandard.Unsafe;
using XZStream = SharpCompress.Compressors.Xz.XZStream;

namespace QemuUserStatic.Archives;

/// <summary>
/// Streaming decompressors for package payloads by the names RPM (PAYLOADCOMPRESSOR) and dpkg (member suffix)
/// use. Nothing is buffered beyond the decompressor's window. A corrupt stream surfaces as
/// <see cref="InvalidDataException"/> whatever the decompressor throws.
/// </summary>
public static class Decompression
{
    /// <summary>zstd (Fedora since 31, Ubuntu's .debs).</summary>
    public const string Zstd = "zstd";

    /// <summary>xz (older Fedora, Debian's .debs).</summary>
    public const string Xz = "xz";

    /// <summary>gzip (rpm's default when a header names no compressor).</summary>
    public const string Gzip = "gzip";

    /// <summary>bzip2.</summary>
    public const string Bzip2 = "bzip2";

    /// <summary>No compression.</summary>
    public const string None = "none";

    /// <summary>Every format <see cref="Open"/> reads.</summary>
    public static IReadOnlyList<string> Known { get; } = [Zstd, Xz, Gzip, Bzip2, None];

    /// <summary>True when <see cref="Open"/> reads <paramref name="format"/>.</summary>
    public static bool IsKnown(string format) => Known.Contains(format);

    /// <summary>The format of a .deb member from its name suffix (data.tar.xz → xz), or null when unknown.</summary>
    public static string? FromSuffix(string memberName) => Path.GetExtension(memberName) switch
    {
        ".tar" => None,
        ".gz" => Gzip,
        ".xz" => Xz,
        ".zst" => Zstd,
        ".bz2" => Bzip2,
        _ => null,
    };

    /// <summary>A stream of the decompressed bytes of <paramref name="compressed"/> (which it takes ownership of).</summary>
    public static Stream Open(string format, Stream compressed)
    {
        Stream decompressor = format switch
        {
            Zstd => Zstandard(compressed),
            Xz when UseNativeXz => new NativeXzStream(compressed),
            Xz => new XZStream(compressed),
            Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false),
            Bzip2 => BZip2Stream.Create(compressed, SharpCompress.Compressors.CompressionMode.Decompress,
                decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false),
            None => compressed,
            _ => throw new InvalidDataException(
                $"unknown compressor '{format}' (known: {string.Join(", ", Known)})"),
        };
        // The native xz decoder's errors are one-line InvalidDataExceptions already.
        return decompressor is NativeXzStream || format == None ? decompressor : new GuardedStream(decompressor, format);
    }

    /// <summary>A zstd decoder that refuses frames whose window is larger than <see cref="PackageLimits.MaxZstdWindowLog"/> allows.</summary>
    private static DecompressionStream Zstandard(Stream compressed)
    {
        var stream = new DecompressionStream(compressed, 1 << 17, checkEndOfStream: true, leaveOpen: false);
        // zstd's own default allows 128 MiB windows, which a hostile package would make us allocate once per reader.
        stream.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, PackageLimits.MaxZstdWindowLog);
        return stream;
    }

    /// <summary>
    /// True when xz goes through the system's liblzma (<see cref="NativeXzStream"/>): when it loads, unless the
    /// environment says <c>QUS_XZ=managed</c> (SharpCompress's slower managed decoder, for comparison).
    /// </summary>
    internal static bool UseNativeXz { get; } =
        NativeXzStream.IsAvailable && Environment.GetEnvironmentVariable("QUS_XZ") != "managed";

    /// <summary>Turns whatever a decompressor throws on bad data into <see cref="InvalidDataException"/>.</summary>
    private sealed class GuardedStream(Stream inner, string format) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (ZstdException ex) when (ex.Code == ZSTD_ErrorCode.ZSTD_error_frameParameter_windowTooLarge)
            {
                throw new InvalidDataException(
                    $"zstd: the stream needs a window larger than the limit of {1 << (PackageLimits.MaxZstdWindowLog - 20)} MiB", ex);
            }
            catch (Exception ex) when (ex is not (IOException or OperationCanceledException or OutOfMemoryException))
            {
                // Third-party decompressors signal bad input with many exception types (format, index, argument).
                throw new InvalidDataException($"corrupt {format} data: {ex.Message}", ex);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
