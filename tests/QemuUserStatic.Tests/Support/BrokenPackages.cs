using QemuUserStatic.Packages.Rpm;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Real packages broken the ways the readers must catch, made from the real fixtures: cut short, a byte flipped
/// in the header or the payload, a file's content changed with every other digest recomputed, a bogus compressor
/// name, unsafe cpio names. Each method writes a new file into <c>folder</c> and returns its path.
/// </summary>
public static class BrokenPackages
{
    /// <summary>The zstd RPM the broken ones are made from (Fedora's layout, one emulator).</summary>
    public static string ZstdRpm => PackageFixtures.FedoraSplit(["aarch64", "arm", "riscv64"])[0];

    /// <summary>An RPM with an uncompressed payload, whose cpio bytes can be edited in place.</summary>
    public static string PlainRpm => PackageFixtures.FedoraSplit(["s390x"], payload: "w0.ufdio").Single();

    /// <summary>The emulator inside <see cref="PlainRpm"/>, as cpio names it.</summary>
    public const string PlainRpmEmulator = "./usr/bin/qemu-s390x-static";

    /// <summary>The first half of a real RPM.</summary>
    public static string Truncated(string folder)
    {
        var bytes = File.ReadAllBytes(ZstdRpm);
        return Write(folder, "truncated.rpm", bytes[..(bytes.Length / 2)]);
    }

    /// <summary>One letter of the header's description changed; the signature's header digests no longer match.</summary>
    public static string HeaderByteFlipped(string folder) =>
        RpmSurgery.Craft(ZstdRpm, Path.Combine(folder, "header-flipped.rpm"),
            editHeader: header => RpmSurgery.Replace(header, "user-mode emulators", "user-mode emulatorz"), redigest: false);

    /// <summary>One byte in the middle of the compressed payload flipped.</summary>
    public static string PayloadByteFlipped(string folder) =>
        RpmSurgery.Craft(ZstdRpm, Path.Combine(folder, "payload-flipped.rpm"),
            editPayload: payload => payload[payload.Length / 2] ^= 0x01, redigest: false);

    /// <summary>
    /// One byte of the emulator's content changed, with the payload digests and every header digest recomputed:
    /// only the check against FILEDIGESTS can see it.
    /// </summary>
    public static string FileContentChanged(string folder) =>
        RpmSurgery.Craft(PlainRpm, Path.Combine(folder, "file-changed.rpm"),
            editPayload: payload => payload[RpmSurgery.CpioDataOffset(payload, PlainRpmEmulator) + 4096] ^= 0x01);

    /// <summary>PAYLOADCOMPRESSOR "zstd" renamed "zsxd", with the header digests recomputed.</summary>
    public static string BogusCompressor(string folder) =>
        RpmSurgery.Craft(ZstdRpm, Path.Combine(folder, "bogus-compressor.rpm"),
            editHeader: header => RpmSurgery.Replace(header, "\0zstd\0", "\0zsxd\0"));

    /// <summary>The emulator's cpio name turned into <c>../../bin/qemu-s390x-static</c>, every digest recomputed.</summary>
    public static string DotDotEntry(string folder) =>
        RpmSurgery.Craft(PlainRpm, Path.Combine(folder, "dotdot.rpm"),
            editPayload: payload => RpmSurgery.Replace(payload, PlainRpmEmulator + "\0", "../../bin/qemu-s390x-static\0"));

    /// <summary>The emulator's cpio name turned into the absolute <c>//usr/bin/qemu-s390x-static</c>, every digest recomputed.</summary>
    public static string AbsoluteEntry(string folder) =>
        RpmSurgery.Craft(PlainRpm, Path.Combine(folder, "absolute.rpm"),
            editPayload: payload => RpmSurgery.Replace(payload, PlainRpmEmulator + "\0", "//usr/bin/qemu-s390x-static\0"));

    /// <summary>The signature's uncompressed payload size (PAYLOADSIZE) off by one: every digest still matches.</summary>
    public static string PayloadSizeWrong(string folder) =>
        RpmSurgery.Craft(ZstdRpm, Path.Combine(folder, "payload-size.rpm"),
            editSignature: (signature, parsed) => RpmSurgery.Increment(signature, parsed, RpmSignatureTag.PayloadSize));

    /// <summary>A text file named like an RPM.</summary>
    public static string NotAPackage(string folder) =>
        Write(folder, "not-a-package.rpm", "this is not a package\n"u8.ToArray());

    private static string Write(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
