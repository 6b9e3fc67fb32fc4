using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// The guest program case 7 runs to see its effective uid: a command of the guest that prints it (<c>id -u</c> by
/// default), whose program is copied to <see cref="Folder"/> as a setuid-root file and run there as another user.
/// </summary>
/// <param name="Program">The program, as found on the guest's PATH or by its path.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record SetuidWitness(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The folder of the setuid copy in the derived guest image.</summary>
    public const string Folder = "/qus-test";

    /// <summary>The default: coreutils' <c>id -u</c> (busybox drops setuid privileges in its applets).</summary>
    public static SetuidWitness Default { get; } = new("id", ["-u"]);

    /// <summary>Parses a command line of words separated by spaces; an empty one is a user error.</summary>
    public static SetuidWitness Parse(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0
            ? throw new UserException("--setuid-witness: give a command of the guest that prints its effective uid, e.g. 'id -u'", ExitCodes.Usage)
            : new SetuidWitness(words[0], words[1..]);
    }

    /// <summary>Where the setuid copy is in the derived image.</summary>
    public string CopyPath => $"{Folder}/{Path.GetFileName(Program)}";

    /// <summary>The sh script (run as root in the guest) that makes the setuid-root copy.</summary>
    /// <remarks>busybox sh answers <c>command -v</c> with the bare name of its applets: the PATH is searched then.</remarks>
    public string SetupScript
    {
        get
        {
            var program = ExternalCommand.ShellWord(Program);
            return $"set -e; p=\"$(command -v {program})\"; case \"$p\" in /*) ;; *) IFS=:; for d in $PATH; do " +
                   $"if [ -x \"$d/{Program}\" ]; then p=\"$d/{Program}\"; break; fi; done; unset IFS ;; esac; " +
                   $"mkdir -p {Folder}; cp \"$p\" {CopyPath}; chown 0:0 {CopyPath}; chmod 4755 {CopyPath}";
        }
    }

    /// <summary>The command that runs the setuid copy.</summary>
    public IReadOnlyList<string> Command => [CopyPath, .. Arguments];

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Arguments.Prepend(Program));
}
