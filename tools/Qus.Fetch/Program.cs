using System.CommandLine;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch;
using QemuUserStatic.Net;

var config = ConfigOption.Create();
var source = new Option<string?>("--source") { Description = "Package source: debian or fedora (default: source in qus.yml)" };
var version = new Option<string?>("--qemu-version") { Description = "Package version: Debian's whole version (1:7.2+dfsg-7+deb12u18+b3) or Fedora's (7.2.0)" };
var release = new Option<string?>("--release") { Description = "Fedora package release (1.fc38)" };
var hosts = new Option<string[]>("--host-arch") { Description = "Host architecture to fetch for (repeatable; default: hosts in qus.yml)", AllowMultipleArgumentsPerToken = false };
var output = new Option<string>("--output", "-o") { Description = "Folder for the packages and fetched.json", DefaultValueFactory = _ => "out/fetch" };
var cache = new Option<string?>("--cache") { Description = "Download cache folder (default: $XDG_CACHE_HOME/qus/fetch or ~/.cache/qus/fetch)" };
var check = new Option<bool>("--check") { Description = "Only compare the configured version with the newest stable one at the source: exit 0 when current, 10 when newer exists" };
var update = new Option<bool>("--update")
{
    Description = "Write qus.lock.json (beside the configuration file) for the pinned Debian version, fetching nothing; " +
                  "with --check: when a newer version exists, first pin it in the configuration file (qemu.version, qemu.release)",
};
var newestIfGone = new Option<bool>("--newest-if-gone")
{
    Description = "When the pinned version is gone from the suites (and not to be had from the snapshot archive), warn and fetch the newest available one instead of failing (local runs)",
};
var printArch = new Option<string[]>("--print-arch")
{
    Description = "Only print what the architecture table says of these architectures, a line each: NAME DEBIAN-ARCH FEDORA-ARCH OCI-PLATFORM ('-' where none)",
    AllowMultipleArgumentsPerToken = true,
};
var printConfig = new Option<bool>("--print-config") { Description = "Only print the resolved configuration as key=value lines (and step outputs): config, source, version, hosts (JSON), targets, image-repository, github-repository" };
var keyring = new Option<string?>("--keyring") { Description = "OpenPGP public key file: RPMs must carry a valid signature by it (uses rpmkeys)" };
var kojiUrl = new Option<string?>("--koji-url") { Description = "Koji hub XML-RPC URL (overrides fedora.hub)" };
var kojiTopUrl = new Option<string?>("--koji-topurl") { Description = "Koji file tree URL (overrides fedora.topurl)" };
var mirror = new Option<string?>("--mirror") { Description = "Debian mirror URL (overrides debian.mirror)" };
var ignoreValidUntil = new Option<bool>("--ignore-valid-until")
{
    Description = "Accept a Debian InRelease whose Valid-Until has passed (a mirror known to be a frozen copy); signatures are still checked",
};
var json = JsonOption.Create();
var snapshot = new Option<string?>("--snapshot") { Description = "Debian snapshot archive URL, for locked packages the mirror no longer lists (overrides debian.snapshot)" };

var root = new RootCommand("Downloads the pinned QEMU static emulator packages for each host architecture, verified against what the source publishes.")
{
    config, source, version, release, hosts, output, cache, check, update, newestIfGone, printConfig, printArch, keyring, kojiUrl, kojiTopUrl, mirror, snapshot, ignoreValidUntil, json,
};

root.SetAction(async (parse, cancellationToken) =>
{
    if (parse.GetValue(printArch) is { Length: > 0 } arches)
    {
        foreach (var arch in OptionList.Items(arches))
        {
            var target = ArchitectureTable.Get(arch, "--print-arch");
            Console.WriteLine(string.Join(' ', target.Name, ArchitectureTable.DebianArch(target.Name) ?? "-", ArchitectureTable.FedoraArch(target.Name) ?? "-", target.Platform?.ToString() ?? "-"));
        }

        return ExitCodes.Success;
    }

    var configuration = PipelineConfig.Load(parse.GetValue(config));
    var request = FetchRequest.From(
        configuration, parse.GetValue(source), parse.GetValue(version), parse.GetValue(release),
        parse.GetValue(hosts), UrlPath.ParseHttp(parse.GetValue(kojiUrl), "--koji-url"), UrlPath.ParseHttp(parse.GetValue(kojiTopUrl), "--koji-topurl"),
        UrlPath.ParseHttp(parse.GetValue(mirror), "--mirror"), UrlPath.ParseHttp(parse.GetValue(snapshot), "--snapshot"));

    var options = new FetchOptions
    {
        Configuration = configuration,
        Request = request,
        Output = parse.GetValue(output)!,
        Cache = parse.GetValue(cache),
        PrintConfig = parse.GetValue(printConfig),
        Check = parse.GetValue(check),
        Update = parse.GetValue(update),
        NewestIfGone = parse.GetValue(newestIfGone),
        Keyring = parse.GetValue(keyring),
        IgnoreValidUntil = parse.GetValue(ignoreValidUntil),
    };
    var reporter = Reporter.ForTool(parse.GetValue(json));
    return StepOutput.Write(await FetchStep.RunAsync(options, reporter, cancellationToken), reporter);
});

return await ToolApp.RunAsync("qus-fetch", root, args);
