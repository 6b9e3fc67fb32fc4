using QemuUserStatic.Cli;

namespace QemuUserStatic.Binfmt;

/// <summary>
/// One qus-register run: export, or check interpreters, mount, lock the table, reset, uninstall, register; then the
/// status (printed as JSON with <see cref="RegisterRequest.Status"/>). Synchronous inside: every call is a small write to
/// the kernel.
/// </summary>
internal static class RegisterStep
{
    /// <summary>The program name qus-register's own warning and error lines start with.</summary>
    public const string ProgramName = "qus-register";

    /// <summary>Runs <paramref name="options"/>; the result's exit code is 1 when some targets failed (each named on stderr).</summary>
    public static Task<RegisterResult> RunAsync(RegisterRequest options, Reporter reporter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(options, reporter));
    }

    private static RegisterResult Run(RegisterRequest request, Reporter reporter)
    {
        var options = request.Options;
        options.Validate();
        var targets = options.SelectedTargets();
        var output = reporter.Results;
        if (request.ExportFolder is { } folder)
        {
            var entries = targets.Where(t => !options.IsNative(t)).Select(options.EntryFor);
            var written = BinfmtExport.Write(folder, request.ExportFormat, entries).ToList();
            written.ForEach(path => output.WriteLine($"wrote {path}"));
            return new RegisterResult(written, null, 0);
        }

        // With --status, stdout is the JSON: the lines about changes go to stderr.
        var registrar = new Registrar(options, request.Status ? reporter.Log : output, reporter.Log, ProgramName);
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

        return new RegisterResult(null, status, registrar.Failures);
    }
}
