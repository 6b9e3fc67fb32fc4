namespace QemuUserStatic.Acceptance.Guests;

/// <summary>How one target's guest ended on one host.</summary>
internal enum GuestOutcome
{
    /// <summary>It ran through binfmt_misc and printed what it must.</summary>
    Passed,

    /// <summary>It failed, crashed or printed something else.</summary>
    Failed,

    /// <summary>Debian has no guest program for the target: its emulator was only registered.</summary>
    NoGuest,

    /// <summary>The target is of this machine's own CPU family: registering it would send every native program to QEMU.</summary>
    Native,
}
