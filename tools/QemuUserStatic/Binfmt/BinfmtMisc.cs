using System.Text;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// A binfmt_misc file system (by default /proc/sys/fs/binfmt_misc): its entries, <c>register</c> and <c>status</c>.
/// Every change is one write(2) of a command, as the kernel expects; failures are <see cref="BinfmtCallException"/>s.
/// </summary>
public sealed class BinfmtMisc(string folder)
{
    /// <summary>Where the kernel's binfmt_misc is mounted on every distribution.</summary>
    public const string DefaultFolder = "/proc/sys/fs/binfmt_misc";

    /// <summary>The mount folder.</summary>
    public string Folder { get; } = folder.Length > 1 ? folder.TrimEnd('/') : folder;

    /// <summary>The file new entries are written to.</summary>
    public string RegisterFile => Path.Combine(Folder, "register");

    /// <summary>The file holding the global enabled state.</summary>
    public string StatusFile => Path.Combine(Folder, "status");

    /// <summary>True when the folder exists.</summary>
    public bool FolderExists => Directory.Exists(Folder);

    /// <summary>
    /// True when the folder is a binfmt_misc file system (statfs(2) says BINFMTFS_MAGIC): a plain folder that merely
    /// holds files named register and status is not, and writing there would register nothing.
    /// </summary>
    public bool IsMounted => KernelCalls.FileSystemType(Folder) is (KernelCalls.BinfmtMiscMagic, 0);

    /// <summary>True when the folder holds something called <c>register</c> (binfmt_misc or not).</summary>
    public bool HasRegisterFile => Path.Exists(RegisterFile);

    /// <summary>False when binfmt_misc is disabled as a whole (<c>echo 0 &gt; status</c>): entries stay but are not used.</summary>
    public bool IsEnabled => !File.Exists(StatusFile) || File.ReadAllText(StatusFile).Trim() != "disabled";

    /// <summary>Mounts binfmt_misc on the folder, as <c>mount -t binfmt_misc binfmt_misc FOLDER</c> does.</summary>
    public void Mount()
    {
        var errno = KernelCalls.MountBinfmtMisc(Folder);
        if (errno != 0)
        {
            throw new BinfmtCallException(Folder, WriteStage.Open, errno);
        }
    }

    /// <summary>The names of every entry, sorted ordinally (as <c>LC_ALL=C ls</c> lists them).</summary>
    public IReadOnlyList<string> EntryNames() =>
        Directory.GetFiles(Folder)
            .Select(file => Path.GetFileName(file))
            .Where(name => name is not ("register" or "status"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every entry, sorted by name; entries removed while reading are left out.</summary>
    public IReadOnlyList<KernelEntry> ReadEntries() => EntryNames().Select(Read).OfType<KernelEntry>().ToList();

    /// <summary>The entry called <paramref name="name"/>, or null when there is none.</summary>
    public KernelEntry? Read(string name)
    {
        string text;
        try
        {
            text = File.ReadAllText(EntryFile(name));
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        return KernelEntry.Parse(name, text);
    }

    /// <summary>Takes the lock that serialises runs on this table (see <see cref="BinfmtLock"/>).</summary>
    public BinfmtLock Lock() => BinfmtLock.Take(Folder);

    /// <summary>
    /// Adds an entry (writes its register line); the kernel refuses a name that exists. A name that would not print as
    /// it is (control characters, escape sequences) or that is no plain file name is refused before anything is written.
    /// </summary>
    public void Register(BinfmtEntry entry)
    {
        if (!IsSafeName(entry.Name))
        {
            throw new Cli.UserException(BinfmtMessages.Fill(BinfmtMessages.UnsafeEntryName, ("entry", Common.PrintableText.Escape(entry.Name))));
        }

        WriteCommand(RegisterFile, entry.ToRegisterLine());
    }

    /// <summary>True for an entry name of letters, digits and <c>. _ + -</c>, at most 64 long, and not a file of the mount.</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name is not ("." or ".." or "register" or "status") &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-');

    /// <summary>Removes an entry (<c>echo -1 &gt; NAME</c>).</summary>
    public void Remove(string name) => WriteCommand(EntryFile(name), "-1");

    /// <summary>Enables a disabled entry (<c>echo 1 &gt; NAME</c>).</summary>
    public void Enable(string name) => WriteCommand(EntryFile(name), "1");

    /// <summary>Disables an entry, keeping it registered (<c>echo 0 &gt; NAME</c>).</summary>
    public void Disable(string name) => WriteCommand(EntryFile(name), "0");

    /// <summary>The file of entry <paramref name="name"/>.</summary>
    public string EntryFile(string name) => Path.Combine(Folder, name);

    private static void WriteCommand(string path, string command)
    {
        var (stage, errno) = KernelCalls.WriteOnce(path, Encoding.UTF8.GetBytes(command));
        if (errno != 0)
        {
            throw new BinfmtCallException(path, stage, errno);
        }
    }
}
