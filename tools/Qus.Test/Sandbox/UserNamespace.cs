using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Sandbox;

/// <summary>
/// A user+mount namespace with its own binfmt_misc, kept alive by a small holder process, that commands enter with
/// <c>nsenter</c>: what they register and mount is seen by nothing else and vanishes with the namespace. Needs no
/// privilege (Linux 6.7+ mounts binfmt_misc per user namespace). The machine's own table is never reachable: the
/// holder mounts a fresh binfmt_misc over /proc/sys/fs/binfmt_misc first and refuses to go on if that fails or the
/// mount is not empty.
/// </summary>
/// <remarks>
/// Run as root, the namespace maps its ids 0..65535 to host ids <see cref="RootHostIdBase"/>.. (ids no account
/// has), so its root is not the machine's root and a user other than root exists in it; run as another user, it maps
/// only root, to that user (the kernel allows no more without newuidmap).
/// </remarks>
internal sealed class UserNamespace : IAsyncDisposable
{
    /// <summary>How many ids the namespace maps when this process runs as root.</summary>
    public const int IdCount = 65536;

    /// <summary>The first host id the namespace's ids map to when this process runs as root.</summary>
    public const long RootHostIdBase = 1_000_000_000;

    private const int MountFailed = 97;
    private const int NotPrivate = 98;

    // The holder only holds: it prints its pid and lives until its stdin closes (this process ending, whatever the
    // reason, ends the namespace). Started before the id maps exist, it has no privilege in the namespace; everything
    // that needs one enters with nsenter, as the namespace's root.
    private const string HolderScript = "echo $$; while read -r _; do :; done";

    // A fresh binfmt_misc over the machine's, checked to be empty before anything is registered in it.
    private static readonly string MountScript = string.Join('\n',
        $"error=$(mount -t binfmt_misc binfmt_misc {BinfmtMisc.DefaultFolder} 2>&1) || {{ echo \"$error\"; exit {MountFailed}; }}",
        $"for f in {BinfmtMisc.DefaultFolder}/*; do",
        $"  case ${{f##*/}} in register|status) ;; *) echo \"$f\"; exit {NotPrivate} ;; esac",
        "done");

    private readonly Process holder;

    private UserNamespace(Process holder, int pid, bool mapsManyIds)
    {
        this.holder = holder;
        Pid = pid;
        MapsManyIds = mapsManyIds;
    }

    /// <summary>The holder's process id, the namespace commands enter.</summary>
    public int Pid { get; }

    /// <summary>True when ids 0..65535 exist in the namespace; false when only root does.</summary>
    public bool MapsManyIds { get; }

    /// <summary>
    /// The host ids a file must have to belong to <paramref name="uid"/>:<paramref name="gid"/> inside the namespace,
    /// or null when the namespace does not map them (files then keep the caller's ids, root inside).
    /// </summary>
    public (long Uid, long Gid)? HostIds(long uid, long gid) =>
        MapsManyIds
            ? uid is >= 0 and < IdCount && gid is >= 0 and < IdCount ? (RootHostIdBase + uid, RootHostIdBase + gid) : null
            : null;

    /// <summary>Creates the namespace and its private binfmt_misc; a kernel or machine that cannot is a user error.</summary>
    public static async Task<UserNamespace> StartAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("unshare")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--user", "--mount", "--propagation", "private", "--fork", "--kill-child", "sh", "-c", HolderScript })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            throw new UserException("unshare: not found on PATH (util-linux)");
        }

        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var privileged = Environment.IsPrivilegedProcess;
        var caller = ((long)SandboxCalls.UserId, (long)SandboxCalls.GroupId);
        try
        {
            var pidLine = await ReadLineAsync(process, cancellationToken).ConfigureAwait(false);
            if (!int.TryParse(pidLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                throw new UserException($"cannot create a user namespace: {await ErrorOf(process, errors, pidLine).ConfigureAwait(false)}");
            }

            MapIds(pid, privileged, caller);
            var space = new UserNamespace(process, pid, privileged);
            var mounted = await space.RunAsync(["sh", "-c", MountScript], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!mounted.Succeeded)
            {
                var detail = mounted.StandardOutput.Trim();
                throw mounted.ExitCode switch
                {
                    MountFailed => new UserException(
                        $"cannot mount a private binfmt_misc in a user namespace ({detail}); the sandbox needs Linux 6.7 or later"),
                    NotPrivate => new UserException($"the binfmt_misc mounted in the sandbox is not private ({detail} is in it); refusing to use it"),
                    _ => new UserException($"cannot enter the user namespace: {mounted.LastError}"),
                };
            }

            return space;
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> (a host program) inside the namespace, as its root.</summary>
    /// <remarks>
    /// nsenter switches to the namespace's root (uid 0, no supplementary groups); where only the caller is mapped, the
    /// caller already is that root and setgroups(2) is denied, so its credentials are kept as they are.
    /// </remarks>
    public Task<ProcessOutput> RunAsync(IReadOnlyList<string> command, string? standardInput = null, CancellationToken cancellationToken = default) =>
        ExternalCommand.RunAsync(
            "nsenter",
            ["--target", Pid.ToString(CultureInfo.InvariantCulture), "--user", "--mount", .. MapsManyIds ? Array.Empty<string>() : ["--preserve-credentials"], "--", .. command],
            standardInput, "util-linux", cancellationToken);

    /// <summary>Ends the holder, and with it the namespace, its mounts and its binfmt_misc entries.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            holder.StandardInput.Close();
        }
        catch (IOException)
        {
            // The holder is gone already.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await holder.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stop(holder);
        }

        holder.Dispose();
    }

    // Root maps 65536 ids to an unused range; anyone else maps only root, to itself, after denying setgroups as the
    // kernel requires of unprivileged writers of gid_map.
    private static void MapIds(int pid, bool privileged, (long Uid, long Gid) caller)
    {
        var proc = $"/proc/{pid}";
        if (privileged)
        {
            Write($"{proc}/uid_map", $"0 {RootHostIdBase} {IdCount}\n");
            Write($"{proc}/gid_map", $"0 {RootHostIdBase} {IdCount}\n");
        }
        else
        {
            Write($"{proc}/setgroups", "deny\n");
            Write($"{proc}/uid_map", $"0 {caller.Uid} 1\n");
            Write($"{proc}/gid_map", $"0 {caller.Gid} 1\n");
        }
    }

    // An id map must be written in one write(2).
    private static void Write(string path, string text)
    {
        var (_, errno) = KernelCalls.WriteOnce(path, Encoding.ASCII.GetBytes(text));
        if (errno != 0)
        {
            throw new UserException($"{path}: cannot write the namespace's id map: {KernelCalls.Describe(errno)}");
        }
    }

    private static async Task<string?> ReadLineAsync(Process process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
    }

    private static async Task<string> ErrorOf(Process process, Task<string> errors, string? line)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        var text = (await errors.ConfigureAwait(false)).Trim();
        return text.Length > 0 ? text.Split('\n')[^1] : line ?? $"exit code {process.ExitCode}";
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
