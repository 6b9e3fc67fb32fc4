using System.CommandLine;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;

var reset = new Option<bool>("--reset") { Description = "Remove every qemu-* entry first (register.sh's --reset); registers all targets unless some are named." };
var persistent = YesNo("--persistent", "-p", "Flag F: the kernel opens each emulator now, so it works in every container and chroot.");
var credential = YesNo("--credential", "-c", "Flags OC: setuid programs (sudo) keep their credentials under emulation.");
var preserveArgv0 = YesNo("--preserve-argv0", null, "Flag P: programs see their argv[0] unchanged.");
var qemuPath = new Option<string>("--qemu-path")
{
    Description = "Folder of the emulators (absolute).",
    HelpName = "DIR",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("QEMU_BIN_DIR") is { Length: > 0 } dir ? dir : RegisterOptions.DefaultQemuPath,
};
var qemuSuffix = new Option<string>("--qemu-suffix") { Description = "Emulator file name suffix.", HelpName = "SUFFIX", DefaultValueFactory = _ => RegisterOptions.DefaultQemuSuffix };
var uninstall = new Option<string[]>("--uninstall")
{
    Description = "Remove these entries: target names, aliases, platforms, or entry names with * and ? (comma-separated or repeated).",
    HelpName = "NAMES",
    AllowMultipleArgumentsPerToken = false,
};
var status = new Option<bool>("--status") { Description = "Print the entries, their flags and interpreters, and the platforms that run, as JSON." };
var mount = new Option<string>("--mount") { Description = "The binfmt_misc folder; mounted there when only the folder exists.", HelpName = "DIR", DefaultValueFactory = _ => BinfmtMisc.DefaultFolder };
var export = new Option<string>("--export") { Description = "Write files for the targets into DIR instead of touching the kernel.", HelpName = "DIR" };
var format = new Option<string>("--format") { Description = "Format of --export: systemd (binfmt.d .conf files) or debian (update-binfmts templates).", DefaultValueFactory = _ => "systemd" };
format.AcceptOnlyFromAmong("systemd", "debian");
var printEntrypoint = new Option<bool>("--print-entrypoint") { Description = "Print the images' /register sh script (generated from the same table) and exit." };
var printEmulators = new Option<bool>("--print-emulators") { Description = "Print the emulator file names the targets need, one a line, and exit." };
var printHostArch = new Option<bool>("--print-host-arch") { Description = "Print this host's architecture (QEMU's name, as release tarballs are named) and exit." };
var json = JsonOption.Create();
var targets = new Argument<string[]>("targets")
{
    Description = "Names (aarch64), aliases (arm64) or platforms (linux/arm64); none or 'all': every target but the host's own CPU family.",
    Arity = ArgumentArity.ZeroOrMore,
};

var root = new RootCommand("Registers QEMU's static user-mode emulators with the kernel's binfmt_misc and says what it did.")
{
    reset, persistent, credential, preserveArgv0, qemuPath, qemuSuffix, uninstall, status, mount, export, format,
    printEntrypoint, printEmulators, printHostArch, json, targets,
};
root.SetAction(async (parse, cancellationToken) =>
{
    // The script finds its host at run time: printing it needs no host (nor a valid HOST_ARCH).
    if (parse.GetValue(printEntrypoint))
    {
        Console.Out.Write(RegisterScript.Render());
        return ExitCodes.Success;
    }

    var options = new RegisterOptions
    {
        Targets = parse.GetValue(targets) ?? [],
        Reset = parse.GetValue(reset),
        Persistent = RegisterOptions.ParseYesNo("--persistent", parse.GetValue(persistent)!),
        Credential = RegisterOptions.ParseYesNo("--credential", parse.GetValue(credential)!),
        PreserveArgv0 = RegisterOptions.ParseYesNo("--preserve-argv0", parse.GetValue(preserveArgv0)!),
        QemuPath = parse.GetValue(qemuPath)!,
        QemuSuffix = parse.GetValue(qemuSuffix)!,
        Mount = parse.GetValue(mount)!,
    };
    if (parse.GetValue(printHostArch))
    {
        Console.Out.WriteLine(options.HostArch);
        return ExitCodes.Success;
    }

    if (parse.GetValue(printEmulators))
    {
        options.EmulatorFileNames().ToList().ForEach(Console.Out.WriteLine);
        return ExitCodes.Success;
    }

    var request = new RegisterRequest
    {
        Options = options,
        Uninstall = parse.GetValue(uninstall) ?? [],
        Status = parse.GetValue(status),
        ExportFolder = parse.GetValue(export),
        ExportFormat = Enum.Parse<BinfmtExportFormat>(parse.GetValue(format)!, ignoreCase: true),
    };
    var reporter = Reporter.ForTool(parse.GetValue(json));
    return StepOutput.Write(await RegisterStep.RunAsync(request, reporter, cancellationToken), reporter);
});

return await ToolApp.RunAsync(RegisterStep.ProgramName, root, args);

static Option<string> YesNo(string name, string? alias, string description)
{
    var option = alias is null ? new Option<string>(name) : new Option<string>(name, alias);
    option.Description = description;
    option.HelpName = "yes|no";
    option.DefaultValueFactory = _ => "no";
    return option;
}
