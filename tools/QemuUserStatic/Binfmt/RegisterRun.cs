using QemuUserStatic.Cli;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// One qus-register run: export, or check interpreters, mount, lock the table, reset, uninstall, register; then the status
/// (JSON on request), the <c>platforms</c> step output and the job summary in GitHub Actions.
/// </summary>
public static class RegisterRun
{
    /// <summary>Runs <paramref name="request"/>; returns 0 when all was done, 1 when some targets failed (each named).</summary>
    public static int Execute(
        RegisterRequest request, TextWriter output, TextWriter errors, GitHubActions actions, string programName)
    {
        var options = request.Options;
        options.Validate();
        var targets = options.SelectedTargets();
        if (request.ExportFolder is { } folder)
        {
            var entries = targets.Where(t => !options.IsNative(t)).Select(options.EntryFor);
            foreach (var path in BinfmtExport.Write(folder, request.ExportFormat, entries))
            {
                output.WriteLine($"wrote {path}");
            }

            return ExitCodes.Success;
        }

        // With --status, stdout is the JSON: the lines about changes go to stderr.
        var lines = request.Status ? errors : output;
        var registrar = new Registrar(options, lines, errors, programName);
        if (request.Registers)
        {
            registrar.CheckInterpreters(targets);
        }

        registrar.EnsureMounted();
        using (registrar.Misc.Lock())
        {
            if (options.Reset)
            {
                registrar.Reset();
            }

            registrar.Uninstall(request.Uninstall);
            if (request.Registers)
            {
                registrar.Register(targets);
            }
        }

        // What runs natively is the kernel's family, whatever HOST_ARCH says.
        var status = BinfmtStatus.Read(registrar.Misc, options.KernelArch);
        if (request.Status)
        {
            output.Write(System.Text.Encoding.UTF8.GetString(status.ToJson()));
        }

        actions.SetOutput("platforms", string.Join(',', status.Platforms));
        actions.AppendSummary(Summary(status));
        return registrar.Failures > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static string Summary(BinfmtStatus status) =>
        "### binfmt_misc\n\n" + GitHubActions.MarkdownTable(
            ["entry", "flags", "interpreter", "platforms"],
            status.Entries.Where(e => BinfmtStatus.TargetOf(e) is not null).Select(e => (IReadOnlyList<string>)
            [
                e.Name, BinfmtMessages.FlagsShown(e.Entry.Flags), e.Entry.Interpreter,
                string.Join(", ", BinfmtStatus.TargetOf(e)!.Platforms.Select(p => p.Normalized().ToString())),
            ])) + $"\nPlatforms: {string.Join(", ", status.Platforms)}\n";
}
