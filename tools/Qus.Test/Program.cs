using System.CommandLine;
using QemuUserStatic.Acceptance;
using QemuUserStatic.Acceptance.Docker;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;

var layout = new Option<string?>("--layout", "-l") { Description = "The OCI image layout qus-images wrote (its tags are loaded into the engine)" };
var repository = new Option<string?>("--repository")
{
    Description = "Or: the registry repository holding the images, REGISTRY/REPOSITORY (docker.io/OWNER/qemu-user-static, 127.0.0.1:5000/qus)",
};
var tlsVerify = new Option<bool>("--src-tls-verify")
{
    Description = "Require HTTPS with a valid certificate from registries; --src-tls-verify=false for a loopback or test registry",
    DefaultValueFactory = _ => true,
};
var arch = new Option<string>("--arch")
{
    Description = "The target the cases emulate (a QEMU name, alias or platform)",
    DefaultValueFactory = _ => "aarch64",
};
var guest = new Option<string?>("--guest-image")
{
    Description = "The foreign image the cases run: a registry reference or oci:DIR:TAG " +
                  "(default docker.io/arm64v8/ubuntu for aarch64, docker.io/library/ubuntu for other targets)",
};
var cases = new Option<string[]>("--cases")
{
    Description = "Run only these cases: numbers or ranges, comma-separated (1,2,5 or 1-3); default all (1-7)",
    AllowMultipleArgumentsPerToken = true,
};
var junit = new Option<string?>("--junit") { Description = "Write the results as JUnit XML to this file" };
var engine = new Option<string>("--engine")
{
    Description = "docker: a Docker engine (changes the machine's binfmt_misc, restored afterwards); " +
                  "sandbox: no daemon, no privileges, a private binfmt_misc (builds not applicable)",
    DefaultValueFactory = _ => "docker",
}.AcceptOnlyFromAmong("docker", "sandbox");
var runArgs = new Option<string?>("--docker-run-args")
{
    Description = "docker run options of the registering containers (default --privileged, falling back to " +
                  "--cap-add SYS_ADMIN --security-opt systempaths=unconfined when the engine refuses it)",
};
var network = new Option<string?>("--network")
{
    Description = "Network of the containers and builds (default: none when the engine has no bridge network, else the engine's default)",
};
var registerTargets = new Option<string[]>("--register-targets")
{
    Description = "Targets given to /register (comma-separated); default none: it registers every target, as users run it",
    AllowMultipleArgumentsPerToken = true,
};
var witness = new Option<string>("--setuid-witness")
{
    Description = "The guest command case 7 runs from a setuid-root copy as uid 1000; it must print its effective uid",
    DefaultValueFactory = _ => "id -u",
};
var guests = new Option<string?>("--guests")
{
    Description = "Instead of the cases: run every guest of this folder (one static program per target, named by the target) " +
                  "through binfmt_misc with the latest image's registration, on every --guest-hosts release",
};
var buildGuests = new Option<string?>("--build-guests")
{
    Description = "Like --guests, with the guest set (--print-guests) built in this cache folder first, or taken from it when built " +
                  "before: Debian's busybox-static ($QUS_DEBIAN_MIRROR, default Debian's own) and the hello by Debian's cross " +
                  "compilers (installed as root or with password-less sudo when missing)",
};
var guestHosts = new Option<string[]>("--guest-hosts")
{
    Description = "With --guests or --build-guests: the hosts whose releases (the latest image's platforms) run the guests, comma-separated; " +
                  "default this machine's. Another host's emulators run under this machine's emulator for that host",
    AllowMultipleArgumentsPerToken = true,
};
var printGuests = new Option<bool>("--print-guests")
{
    Description = "Print the guest table (TARGET busybox DEBIAN_ARCH SUITE MACHINE, or TARGET hello TRIPLET FLAGS MACHINE) and exit",
};
var printHello = new Option<bool>("--print-hello-source")
{
    Description = "Print the C source of the hello guests (--build-guests compiles it for the targets without busybox) and exit",
};
var json = JsonOption.Create();
var timeout = new Option<int>("--timeout") { Description = "Seconds one case may take", DefaultValueFactory = _ => 600 };

var root = new RootCommand(
    "Runs the acceptance cases of the qemu-user-static images — the original test.sh, for real: 1 latest registers with " +
    "flag F; 2 the guest runs; 3 a build runs in the guest; 4 register registers without flags; 5 the emulator images " +
    "run; 6 multi-stage COPY --from; 7 flags OCF keep setuid. Prints PASS/FAIL/N/A per case, writes JUnit and the " +
    "GitHub job summary, and puts binfmt_misc back as it was. Exit code 0 only when no case failed.")
{
    layout, repository, tlsVerify, arch, guest, cases, junit, engine, runArgs, network, registerTargets, witness, guests, buildGuests, guestHosts, printGuests, printHello, timeout, json,
};

root.SetAction(async (parse, cancellationToken) =>
{
    if (parse.GetValue(printGuests))
    {
        await Console.Out.WriteAsync(QemuUserStatic.Guests.GuestTable.ToLines());
        return ExitCodes.Success;
    }

    if (parse.GetValue(printHello))
    {
        await Console.Out.WriteAsync(QemuUserStatic.Guests.GuestTable.HelloSource);
        return ExitCodes.Success;
    }

    var (layoutDir, repositoryName) = (parse.GetValue(layout), parse.GetValue(repository));
    if ((layoutDir is null) == (repositoryName is null))
    {
        throw new UserException("give the images with --layout DIR or --repository REGISTRY/REPOSITORY (one of them)", ExitCodes.Usage);
    }

    var (guestFolder, guestCache) = (parse.GetValue(guests), parse.GetValue(buildGuests));
    if (guestFolder is not null && guestCache is not null)
    {
        throw new UserException("give the guest set with --guests DIR or --build-guests CACHE_DIR (one of them)", ExitCodes.Usage);
    }

    var runsGuests = guestFolder is not null || guestCache is not null;
    // The guest run needs no --arch: any foreign target with a platform keeps the settings valid on every machine.
    var target = !runsGuests
        ? parse.GetValue(arch)!
        : ArchitectureTable.ForeignTo(ArchitectureTable.HostArch).First(t => t.Platform is not null).Name;
    var guestImage = parse.GetValue(guest) ?? AcceptanceSettings.DefaultGuest(target);
    var settings = AcceptanceSettings.For(
        target,
        OptionList.Items(parse.GetValue(registerTargets)),
        SetuidWitness.Parse(parse.GetValue(witness)!),
        TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))));
    var sources = layoutDir is not null
        ? ImageSources.FromLayout(layoutDir, guestImage, parse.GetValue(tlsVerify))
        : ImageSources.FromRepository(repositoryName!, guestImage, parse.GetValue(tlsVerify));
    var request = new AcceptanceRequest(
        sources, settings, TestCase.Select(parse.GetValue(cases)), Enum.Parse<EngineKind>(parse.GetValue(engine)!, ignoreCase: true),
        PrivilegeArguments.Parse(parse.GetValue(runArgs)), parse.GetValue(network), parse.GetValue(junit));
    var options = new TestOptions
    {
        Request = request,
        Guests = guestFolder,
        GuestCache = guestCache,
        GuestHosts = !runsGuests ? [] : [.. OptionList.Items(parse.GetValue(guestHosts)).Select(h => ArchitectureTable.Get(h, "--guest-hosts host"))],
    };
    var reporter = Reporter.ForTool(parse.GetValue(json));
    return StepOutput.Write(await TestStep.RunAsync(options, reporter, cancellationToken), reporter);
});

return await ToolApp.RunAsync("qus-test", root, args);
