using System.Buffers.Binary;
using System.Text;

namespace QemuUserStatic.Architectures;

/// <summary>
/// What an ELF file's headers say about where and how it runs: class, byte order and machine (the host it is built
/// for), and whether it needs anything at run time (a <c>PT_INTERP</c> program interpreter or <c>DT_NEEDED</c>
/// libraries). Read from the file headers only, with every count and offset checked against limits and the file's
/// size before anything is allocated.
/// </summary>
/// <param name="Class">32 or 64.</param>
/// <param name="IsBigEndian">True for ELFDATA2MSB.</param>
/// <param name="Machine">e_machine (62 x86-64, 183 AArch64, ...).</param>
/// <param name="Interpreter">The PT_INTERP path, or null.</param>
/// <param name="Needed">How many DT_NEEDED entries the dynamic section has.</param>
/// <param name="IsPositionIndependent">True for ET_DYN (a static-pie or shared object), false for ET_EXEC.</param>
public sealed record ElfImage(int Class, bool IsBigEndian, int Machine, string? Interpreter, int Needed, bool IsPositionIndependent)
{
    private const int MaxProgramHeaders = 512;
    private const int MaxInterpreter = 4096;
    private const int MaxDynamicSection = 1 << 20;
    private const uint PtDynamic = 2;
    private const uint PtInterp = 3;
    private const long DtNeeded = 1;

    /// <summary>True when nothing is loaded with it: no interpreter, no needed library.</summary>
    public bool IsStatic => Interpreter is null && Needed == 0;

    /// <summary>How it is linked, as file(1) says it: <c>static</c>, <c>static-pie</c> or <c>dynamic</c>.</summary>
    public string Linking => !IsStatic ? "dynamic" : IsPositionIndependent ? "static-pie" : "static";

    /// <summary>The byte order's name: <c>little</c> or <c>big</c>.</summary>
    public string ByteOrder => ByteOrderName(IsBigEndian);

    /// <summary>"ELF 64-bit little-endian, machine 62", for messages.</summary>
    public string Describe() => Describe(Class, IsBigEndian, Machine);

    /// <summary>What the programs of <paramref name="target"/> say in their ELF header, in the words of <see cref="Describe()"/>.</summary>
    public static string Describe(TargetArch target) => Describe(Bits(target), target.IsBigEndian, target.ElfMachine);

    /// <summary>True when the file is built for <paramref name="host"/>: the same class, byte order and e_machine.</summary>
    public bool IsFor(TargetArch host) => Class == Bits(host) && IsBigEndian == host.IsBigEndian && Machine == host.ElfMachine;

    private static int Bits(TargetArch target) => target.ElfClass * 32;

    private static string Describe(int bits, bool bigEndian, int machine) =>
        $"ELF {bits}-bit {ByteOrderName(bigEndian)}-endian, machine {machine}";

    private static string ByteOrderName(bool bigEndian) => bigEndian ? "big" : "little";

    /// <summary>Reads the headers of the ELF file at <paramref name="path"/>; a file that is not a well-formed ELF is an <see cref="InvalidDataException"/>.</summary>
    public static ElfImage Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Read(file);
    }

    /// <summary>Reads the headers of the ELF file in <paramref name="file"/> (seekable).</summary>
    public static ElfImage Read(Stream file)
    {
        var length = file.Length;
        var ident = ReadAt(file, 0, 64, length, "the ELF header");
        if (!ident.AsSpan(0, 4).SequenceEqual("\u007fELF"u8))
        {
            throw new InvalidDataException("not an ELF file");
        }

        var is64 = ident[4] switch
        {
            1 => false,
            2 => true,
            var c => throw new InvalidDataException($"ELF class {c} is neither 32- nor 64-bit"),
        };
        var bigEndian = ident[5] switch
        {
            1 => false,
            2 => true,
            var d => throw new InvalidDataException($"ELF byte order {d} is neither little nor big"),
        };
        var reader = new FieldReader(bigEndian);
        var type = reader.U16(ident, 16);
        var machine = reader.U16(ident, 18);
        var phoff = is64 ? reader.U64(ident, 32) : reader.U32(ident, 28);
        var phentsize = reader.U16(ident, is64 ? 54 : 42);
        var phnum = reader.U16(ident, is64 ? 56 : 44);
        var expectedEntry = is64 ? 56 : 32;
        if (phnum > MaxProgramHeaders)
        {
            throw new InvalidDataException($"{phnum} program headers, more than the limit {MaxProgramHeaders}");
        }

        if (phnum > 0 && phentsize != expectedEntry)
        {
            throw new InvalidDataException($"program header size {phentsize}, expected {expectedEntry}");
        }

        var headers = ReadAt(file, phoff, phnum * expectedEntry, length, "the program headers");
        string? interpreter = null;
        var needed = 0;
        for (var i = 0; i < phnum; i++)
        {
            var at = i * expectedEntry;
            var kind = reader.U32(headers, at);
            var offset = is64 ? reader.U64(headers, at + 8) : reader.U32(headers, at + 4);
            var size = is64 ? reader.U64(headers, at + 32) : reader.U32(headers, at + 16);
            if (kind == PtInterp)
            {
                var bytes = ReadAt(file, offset, Limit(size, MaxInterpreter, "PT_INTERP"), length, "PT_INTERP");
                interpreter = Encoding.UTF8.GetString(bytes).TrimEnd('\0');
            }
            else if (kind == PtDynamic)
            {
                var section = ReadAt(file, offset, Limit(size, MaxDynamicSection, "PT_DYNAMIC"), length, "PT_DYNAMIC");
                needed += CountNeeded(section, is64, reader);
            }
        }

        return new ElfImage(is64 ? 64 : 32, bigEndian, machine, interpreter, needed, IsPositionIndependent: type == 3);
    }

    private static int CountNeeded(byte[] section, bool is64, FieldReader reader)
    {
        var entry = is64 ? 16 : 8;
        var count = 0;
        for (var at = 0; at + entry <= section.Length; at += entry)
        {
            var tag = is64 ? (long)reader.U64(section, at) : reader.U32(section, at);
            if (tag == 0)
            {
                break;
            }

            if (tag == DtNeeded)
            {
                count++;
            }
        }

        return count;
    }

    private static int Limit(ulong size, int limit, string what) =>
        size <= (ulong)limit ? (int)size : throw new InvalidDataException($"{what} is {size} bytes, more than the limit {limit}");

    private static byte[] ReadAt(Stream file, ulong offset, int count, long length, string what)
    {
        if (offset > (ulong)length || (ulong)count > (ulong)length - offset)
        {
            throw new InvalidDataException($"{what} ({count} bytes at offset {offset}) lies beyond the end of the file ({length} bytes)");
        }

        var buffer = new byte[count];
        file.Position = (long)offset;
        file.ReadExactly(buffer);
        return buffer;
    }

    private readonly struct FieldReader(bool bigEndian)
    {
        public ushort U16(byte[] data, int at) =>
            bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));

        public uint U32(byte[] data, int at) =>
            bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));

        public ulong U64(byte[] data, int at) =>
            bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));
    }
}
