using System.CommandLine;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Manifests;
using QemuUserStatic.Tarballs;

var inputs = new Option<string[]>("--input", "-i")
{
    Description = "An RPM (Fedora's qemu-user-static or qemu-user-static-FAMILY), a Debian qemu-user-static .deb, or a folder of qemu-*-static files. Repeat for several (e.g. Fedora's split subpackages).",
    AllowMultipleArgumentsPerToken = true,
};
var fetched = new Option<string?>("--fetched")
{
    Description = "A fetched.json written by qus-fetch: its packages are inputs too (those of --host when it lists several hosts).",
};
var host = new Option<string?>("--host")
{
    Description = "With --fetched: the host architecture whose packages to take.",
};
var output = new Option<string>("--output", "-o")
{
    Description = "Folder for the release files (created when missing; files of the same name are replaced).",
    Required = true,
};
var fromArch = new Option<string?>("--from-arch")
{
    Description = "Host architecture the emulators run on, for the FROMARCH_qemu-ARCH-static.tar.gz names (default: the packages' own, normalised: amd64 → x86_64, arm64 → aarch64).",
};
var targets = new Option<string[]>("--targets", "-t")
{
    Description = "Only these targets, comma-separated: names or aliases of the architecture table (aarch64,arm,riscv64 or arm64,armhf). Default: targets in qus.yml, else every emulator in the inputs.",
    AllowMultipleArgumentsPerToken = true,
};
var allowUnverified = new Option<bool>("--allow-unverified")
{
    Description = "Take emulators and binfmt.d files no digest in their package vouches for (a .deb without md5sums, an RPM without FILEDIGESTS or header digests) instead of refusing them; manifest.json records it. A folder needs no such option: it is taken as given.",
};
var config = ConfigOption.Create();
var json = JsonOption.Create();

var root = new RootCommand(
    "qus-tarballs: turn qemu-user-static packages into reproducible release files. For every emulator it writes " +
    "qemu-ARCH-static (0755), qemu-ARCH-static.tar.gz and FROMARCH_qemu-ARCH-static.tar.gz, plus SHA256SUMS and manifest.json. " +
    "Every digest the packages carry is checked. SOURCE_DATE_EPOCH, when set, is the mtime of every file (default: the package build time).")
{
    inputs, fetched, host, output, fromArch, targets, allowUnverified, config, json,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var list = parse.GetValue(fetched);
    if (parse.GetValue(host) is not null && list is null)
    {
        throw new UserException("--host goes with --fetched", ExitCodes.Usage);
    }

    IReadOnlyList<string> packages = [.. parse.GetValue(inputs) ?? [], .. list is null ? [] : FetchedList.PackagesFor(list, parse.GetValue(host))];
    if (packages.Count == 0)
    {
        throw new UserException("no input: give --input or --fetched", ExitCodes.Usage);
    }

    var options = new TarballsOptions
    {
        Inputs = packages,
        Output = parse.GetValue(output)!,
        FromArch = parse.GetValue(fromArch),
        Targets = parse.GetValue(targets) is { Length: > 0 } names ? names : parse.Defaults(config).Value.Targets?.ToArray(),
        SourceDateEpoch = SourceDateEpoch.FromEnvironment(),
        AllowUnverified = parse.GetValue(allowUnverified),
    };
    var reporter = Reporter.ForTool(parse.GetValue(json));
    return StepOutput.Write(await TarballsStep.RunAsync(options, reporter, cancellationToken), reporter);
});
return await ToolApp.RunAsync("qus-tarballs", root, args);

