using System.Runtime.InteropServices;
using System.Text;

namespace QemuUserStatic.Architectures;

/// <summary>
/// The machine the running kernel reports to this process, read with uname(2) as <c>uname -m</c> prints it: the one
/// source of the host's CPU family that no environment variable can change.
/// </summary>
internal static class KernelMachine
{
    // struct utsname on Linux (glibc and musl): sysname, nodename, release, version, machine, domainname, 65 bytes each.
    private const int FieldLength = 65;
    private const int MachineField = 4;

    /// <summary>uname(2)'s machine field (<c>x86_64</c>, <c>aarch64</c>, <c>armv7l</c>, ...).</summary>
    public static string Read()
    {
        // Room to spare beyond the six fields, so that a C library with a larger struct still writes inside the buffer.
        var buffer = new byte[FieldLength * 6 * 2];
        if (Uname(buffer) != 0)
        {
            throw new IOException($"uname(2): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var field = buffer.AsSpan(FieldLength * MachineField, FieldLength);
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    [DllImport("libc", EntryPoint = "uname", SetLastError = true)]
    private static extern int Uname(byte[] buffer);
}
