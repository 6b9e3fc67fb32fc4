using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance.Docker;

/// <summary>
/// The machine's own binfmt_misc table, which containers of a local Docker engine register in. Mounted first when
/// only the folder is there (and left mounted: on Linux 6.7+ unmounting the last mount drops every entry).
/// </summary>
internal sealed class HostBinfmtTable
{
    /// <summary>The table at /proc/sys/fs/binfmt_misc.</summary>
    public BinfmtMisc Misc { get; } = new(BinfmtMisc.DefaultFolder);

    /// <summary>True when this process may write the table itself (the machine's root).</summary>
    public static bool Writable => Environment.IsPrivilegedProcess;

    /// <summary>Makes the table readable: mounts it when needed (as root), else a user error that says how.</summary>
    public void EnsureMounted()
    {
        if (Misc.IsMounted)
        {
            return;
        }

        if (!Misc.FolderExists || !Writable)
        {
            throw new UserException(
                $"binfmt_misc is not mounted at {Misc.Folder}; mount it (sudo mount -t binfmt_misc binfmt_misc {Misc.Folder}) so that its entries can be checked and restored");
        }

        try
        {
            Misc.Mount();
        }
        catch (BinfmtCallException failure)
        {
            throw new UserException(BinfmtMessages.Describe(failure, BinfmtAction.Mount, Misc.Folder).Message);
        }
    }

    /// <summary>The table as it is now.</summary>
    public BinfmtSnapshot Snapshot() => BinfmtSnapshot.Take(Misc);

    /// <summary>The text of entry <paramref name="name"/>, or null.</summary>
    public string? Read(string name)
    {
        try
        {
            return File.ReadAllText(Misc.EntryFile(name));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
