using QemuUserStatic.Cli;

namespace Qus.Pipeline;

/// <summary>Which engine runs qus-test's containers.</summary>
internal enum TestEngine
{
    /// <summary>Docker when a Docker engine answers, else the sandbox.</summary>
    Auto,

    /// <summary>The Docker engine.</summary>
    Docker,

    /// <summary>qus-test's daemonless sandbox.</summary>
    Sandbox,
}

/// <summary>
/// tools/run-pipeline's command line and the environment variables standing in for its options. Parsed by hand: the
/// messages are the command's own (<c>run-pipeline: …</c>), and values are checked before anything runs.
/// </summary>
internal sealed record PipelineOptions
{
    /// <summary>The command as users type it, the prefix of its lines.</summary>
    public const string Name = "run-pipeline";

    /// <summary>The text of <c>--help</c>.</summary>
    public const string Usage = """
        usage: tools/run-pipeline [options]

        Runs fetch -> tarballs -> images -> test -> publish -> push on this machine. Options (and their environment variables):
          --config FILE           pipeline configuration (default: $QUS_CONFIG, else the repository's qus.yml)
          --packages PATH         local packages instead of fetching, one host each (repeatable; $QUS_PACKAGES, comma-separated):
                                  an RPM or .deb, a folder of them, a folder of qemu-*-static files, or a folder with fetched.json
          --hosts LIST            host architectures to fetch for, comma-separated (default: the configured hosts)
          --targets LIST          targets, comma-separated (default: the configured targets)
          --out DIR               where everything goes (default: out/ of the repository; $QUS_OUT)
          --base REF              base of the latest and register images (default: a busybox made from Debian's busybox-static
                                  packages of the hosts; $QUS_BASE_IMAGE), e.g. docker.io/library/busybox:latest
          --guest-image REF       the tests' foreign guest image (default: an arm64 busybox made from Debian's busybox-static;
                                  $QUS_GUEST_IMAGE), e.g. docker.io/arm64v8/ubuntu
          --engine ENGINE         test engine: auto (docker when a Docker engine answers, else sandbox), docker or sandbox
                                  ($QUS_TEST_ENGINE; default auto)
          --docker-run-args ARGS  docker run arguments of the tests instead of --privileged ($QUS_DOCKER_RUN_ARGS)
          --tag TAG               release tag (default: github.tag of the configuration, v{tagVersion}: v7.2-7-deb12u18-b3)
          --replace               replace release files whose bytes differ (otherwise publishing refuses them)
          --github OWNER/NAME     publish the release to GitHub, token in $GITHUB_TOKEN, instead of out/release
                                  ($QUS_GITHUB_REPOSITORY)
          --registry REPO         push the images to REGISTRY/REPOSITORY, credentials in $QUS_REGISTRY_USERNAME and
                                  $QUS_REGISTRY_PASSWORD, instead of the layout out/registry ($QUS_REGISTRY)
          --registry-tls-verify false   for a plain-HTTP registry (e.g. 127.0.0.1:5000)
          -h, --help              this text

        """;

    /// <summary>The pipeline configuration file (absolute), or null for the tools' default.</summary>
    public string? Config { get; init; }

    /// <summary>Local packages instead of fetching, one host each (absolute paths).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>The hosts to fetch for, or empty for the configured ones.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The targets (comma-separated), or empty for the configured ones.</summary>
    public string Targets { get; init; } = "";

    /// <summary>Where everything goes (absolute, created).</summary>
    public required string Out { get; init; }

    /// <summary>The base image, or null for the local busybox.</summary>
    public string? Base { get; init; }

    /// <summary>The tests' foreign guest image, or null for the local arm64 busybox.</summary>
    public string? Guest { get; init; }

    /// <summary>The test engine.</summary>
    public TestEngine Engine { get; init; }

    /// <summary>docker run arguments of the tests, or empty.</summary>
    public string DockerRunArgs { get; init; } = "";

    /// <summary>The release tag, or empty for the configured one.</summary>
    public string Tag { get; init; } = "";

    /// <summary>Replace release files whose bytes differ.</summary>
    public bool Replace { get; init; }

    /// <summary>OWNER/NAME to publish to on GitHub, or empty for out/release.</summary>
    public string GitHub { get; init; } = "";

    /// <summary>REGISTRY/REPOSITORY to push to, or empty for the layout out/registry.</summary>
    public string Registry { get; init; } = "";

    /// <summary>Require TLS of the registry.</summary>
    public bool RegistryTlsVerify { get; init; } = true;

    /// <summary>True when --help was asked.</summary>
    public bool Help { get; init; }

    private static readonly string[] ValueOptions =
    [
        "--config", "--packages", "--hosts", "--targets", "--out", "--base", "--guest-image", "--engine", "--docker-run-args", "--tag",
        "--github", "--registry", "--registry-tls-verify",
    ];

    /// <summary>
    /// Parses <paramref name="args"/> over the environment's defaults; paths are made absolute against the current
    /// folder and out/ is created. A bad argument is a <see cref="UserException"/> with <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public static PipelineOptions Parse(IReadOnlyList<string> args, string root, Func<string, string?> environment)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var packages = (Env("QUS_PACKAGES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        var replace = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new PipelineOptions { Out = "", Help = true };
            }

            if (arg == "--replace")
            {
                replace = true;
                continue;
            }

            if (!ValueOptions.Contains(arg))
            {
                throw Bad($"unknown argument '{arg}' (see --help)");
            }

            if (i + 1 >= args.Count)
            {
                throw Bad($"{arg} needs a value (see --help)");
            }

            var value = args[++i];
            if (arg == "--packages")
            {
                packages.Add(value);
            }
            else
            {
                values[arg] = value;
            }
        }

        string? Value(string option, string? variable = null) => values.TryGetValue(option, out var v) ? v : variable is null ? null : Env(variable);
        var engine = Value("--engine", "QUS_TEST_ENGINE") ?? "auto";
        var tlsVerify = Value("--registry-tls-verify") ?? "true";
        var parsedEngine = engine switch
        {
            "auto" => TestEngine.Auto,
            "docker" => TestEngine.Docker,
            "sandbox" => TestEngine.Sandbox,
            _ => throw Bad($"--engine '{engine}': expected auto, docker or sandbox"),
        };
        if (tlsVerify is not ("true" or "false"))
        {
            throw Bad($"--registry-tls-verify '{tlsVerify}': expected true or false");
        }

        var config = Value("--config", "QUS_CONFIG") is { } given ? Path.GetFullPath(given)
            : File.Exists(Path.Combine(root, "qus.yml")) ? Path.Combine(root, "qus.yml") : null;
        foreach (var package in packages.Where(p => !Path.Exists(p)))
        {
            throw Bad($"--packages {package}: no such file or folder");
        }

        var output = Path.GetFullPath(Value("--out", "QUS_OUT") ?? Path.Combine(root, "out"));
        Directory.CreateDirectory(output);
        return new PipelineOptions
        {
            Config = config,
            Packages = packages.Select(Path.GetFullPath).ToList(),
            Hosts = (Value("--hosts") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Targets = Value("--targets") ?? "",
            Out = output,
            Base = AbsoluteReference(Value("--base", "QUS_BASE_IMAGE")),
            Guest = AbsoluteReference(Value("--guest-image", "QUS_GUEST_IMAGE")),
            Engine = parsedEngine,
            DockerRunArgs = Value("--docker-run-args", "QUS_DOCKER_RUN_ARGS") ?? "",
            Tag = Value("--tag") ?? "",
            Replace = replace,
            GitHub = Value("--github", "QUS_GITHUB_REPOSITORY") ?? "",
            Registry = Value("--registry", "QUS_REGISTRY") ?? "",
            RegistryTlsVerify = tlsVerify == "true",
        };
    }

    /// <summary>A local layout named relative to here stays valid when the tools run from the repository root.</summary>
    private static string? AbsoluteReference(string? reference) =>
        reference is not null && reference.StartsWith("oci:", StringComparison.Ordinal) ? "oci:" + Path.GetFullPath(reference[4..]) : reference;

    private static UserException Bad(string message) => new(message, ExitCodes.Usage);
}
