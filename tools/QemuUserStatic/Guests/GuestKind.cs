namespace QemuUserStatic.Guests;

/// <summary>What a guest program is, which says how it is run and what it prints.</summary>
public enum GuestKind
{
    /// <summary>Debian's busybox-static: run as <c>./guest uname -m</c>, prints the machine.</summary>
    Busybox,

    /// <summary>A static hello cross-compiled from <see cref="GuestTable.HelloSource"/>: prints its line, then the machine.</summary>
    Hello,
}
