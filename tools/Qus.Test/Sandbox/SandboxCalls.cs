using System.Runtime.InteropServices;

namespace QemuUserStatic.Sandbox;

/// <summary>The few POSIX calls .NET has no API for: the caller's ids, and owners of files (links not followed).</summary>
internal static class SandboxCalls
{
    /// <summary>The real user id of this process.</summary>
    public static uint UserId => GetUid();

    /// <summary>The real group id of this process.</summary>
    public static uint GroupId => GetGid();

    /// <summary>Sets the owner of <paramref name="path"/> (a symbolic link itself, not its target); returns errno, 0 on success.</summary>
    public static int SetOwner(string path, long uid, long gid) =>
        LChown(path, checked((uint)uid), checked((uint)gid)) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();

    [DllImport("libc", EntryPoint = "getgid")]
    private static extern uint GetGid();

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}
