using System.Text.Json;
using QemuUserStatic.Common;
using QemuUserStatic.Guests;
using QemuUserStatic.Manifests;

namespace Qus.Pipeline;

/// <summary>
/// One run of the pipeline on this machine, the chain pipeline.yml runs: fetch (or the local packages) → tarballs per
/// host → images → test (the cases, then a guest program for every target on every host's emulators) → publish →
/// push. Each step is the step's tool started as a process with the workflow's arguments; values pass from one to
/// the next through the tools' step outputs. Progress and the tools' output go to stderr.
/// </summary>
internal sealed class PipelineRun(string root, PipelineOptions options, TestEngine engine)
{
    private readonly Tools tools = new(root);
    private readonly string cache = Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "qus", "run-pipeline");

    /// <summary>The step running now, named when the run fails.</summary>
    public string Step { get; private set; } = "start";

    private string Out => options.Out;

    /// <summary>Runs every step; a failing one throws (<see cref="StepFailedException"/> or a user error).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Begin("pack the tools");
        await tools.PackAsync(cancellationToken);

        Begin("configuration");
        var configArgs = options.Config is null ? new List<string>() : ["--config", options.Config];
        var hostArgs = options.Hosts.SelectMany(h => new[] { "--host-arch", h }).ToList();
        var config = await tools.ToolOutputsAsync("fetch", ["--print-config", .. configArgs, .. hostArgs], Stdout.Discard, cancellationToken);
        var targets = options.Targets.Length > 0 ? options.Targets : config.GetValueOrDefault("targets", "");
        var imageRepository = config.GetValueOrDefault("image-repository") is { Length: > 0 } repository ? repository : "qemu-user-static";

        var fetched = options.Packages.Count == 0;
        var runs = new List<IReadOnlyList<string>>();
        if (fetched)
        {
            Begin("fetch");
            // A local run is not a release: a pin the mirror and the snapshot archive no longer have gives a one-line
            // warning and the newest version of the configured suites, and a mirror copy whose InRelease is past
            // Valid-Until is still read (signatures are checked all the same). The GitHub pipeline does neither.
            await tools.RunToolAsync("fetch", [.. configArgs, .. hostArgs, "--newest-if-gone", "--ignore-valid-until", "--output", Path.Combine(Out, "fetch")], Stdout.ToStderr, cancellationToken);
            var list = Path.Combine(Out, "fetch", FetchedList.FileName);
            runs.AddRange(JsonSerializer.Deserialize<string[]>(config.GetValueOrDefault("hosts", "[]"))!.Select(h => (IReadOnlyList<string>)["--fetched", list, "--host", h]));
        }

        runs.AddRange(options.Packages.SelectMany(TarballsRuns));

        Begin("tarballs");
        var tarballs = new List<string>();
        Directory.CreateDirectory(Path.Combine(Out, "tarballs"));
        for (var i = 0; i < runs.Count; i++)
        {
            // Each host's folder replaces the one of an earlier run of that host, whole.
            var staging = Path.Combine(Out, "tarballs", $".new-{i}");
            DeleteFolder(staging);
            var targetArgs = targets.Length > 0 ? new List<string> { "--targets", targets } : [];
            var outputs = await tools.ToolOutputsAsync("tarballs", [.. runs[i], .. targetArgs, "--output", staging], Stdout.ToStderr, cancellationToken);
            var from = outputs["from-arch"];
            var folder = Path.Combine(Out, "tarballs", from);
            DeleteFolder(folder);
            Directory.Move(staging, folder);
            tarballs.Add(folder);
            Console.Error.WriteLine($"tarballs for {from} hosts: {folder} ({outputs.GetValueOrDefault("targets", "")})");
        }

        var hosts = tarballs.Select(Path.GetFileName).ToList();
        var images = new LocalImages(cache, DebianDownload.ConfiguredMirror);

        Begin("images");
        var baseImage = options.Base;
        if (baseImage is null)
        {
            baseImage = await images.BusyboxAsync(hosts!, witness: false, cancellationToken);
            Console.Error.WriteLine($"base: {baseImage} (Debian's busybox-static)");
        }

        var layout = Path.Combine(Out, "images");
        var built = await tools.ToolOutputsAsync(
            "images", [.. tarballs.SelectMany(t => new[] { "--input", t }), "--output", layout, "--base", baseImage, "--repository", imageRepository],
            Stdout.Discard, cancellationToken);

        // Before anything is published.
        Begin("test");
        var testArgs = new List<string>();
        var guest = options.Guest;
        if (guest is null)
        {
            // The guest is arm64: its witness needs the aarch64 cross compiler (LocalImages builds it per architecture).
            const string triplet = "aarch64-linux-gnu";
            var witness = CommandPath.Exists(CrossCompiler.Command(triplet));
            guest = await images.BusyboxAsync(["aarch64"], witness, cancellationToken);
            if (witness)
            {
                testArgs.AddRange(["--setuid-witness", EuidWitness.Name]);
            }
            else
            {
                testArgs.AddRange(["--cases", "1-6"]);
                Console.Error.WriteLine($"{PipelineOptions.Name}: case 7 (setuid under flags OC) needs a setuid witness in the guest: install {CrossCompiler.Package(triplet)}, or give --guest-image");
            }

            Console.Error.WriteLine($"guest: {guest} (Debian's busybox-static for arm64)");
        }

        Directory.CreateDirectory(Path.Combine(Out, "test"));
        var testReport = Path.Combine(Out, "test", "qus-test.xml");
        var engineArgs = new List<string> { "--engine", engine.ToString().ToLowerInvariant() };
        if (engine == TestEngine.Docker && options.DockerRunArgs.Length > 0)
        {
            engineArgs.AddRange(["--docker-run-args", options.DockerRunArgs]);
        }

        await tools.RunToolAsync("test", [.. testArgs, "--layout", layout, "--guest-image", guest, "--arch", "aarch64", "--junit", testReport, .. engineArgs], Stdout.ToStderr, cancellationToken);

        // Every emulator of every host proven: a guest program per target run through binfmt_misc with each host's
        // release (another host's emulators nested under this machine's emulator for it); a failing guest stops the run.
        // The guest set is built (or taken from the cache) by qus-test, as in the workflow's test action.
        Begin("test: guests");
        var guestsReport = Path.Combine(Out, "test", "guests.xml");
        await tools.RunToolAsync(
            "test", ["--layout", layout, "--build-guests", cache, "--guest-hosts", string.Join(',', hosts), "--junit", guestsReport, .. engineArgs],
            Stdout.ToStderr, cancellationToken);

        // One release for every host: the first host's files under the plain names (as the original's x86_64
        // release), every other host's HOST_qemu-ARCH-static.tar.gz beside them.
        Begin("publish");
        var publishArgs = new List<string> { "--main-host", hosts[0]! };
        foreach (var native in await NativeRegistersAsync(cancellationToken))
        {
            publishArgs.AddRange(["--native", native]);
        }

        publishArgs.AddRange(tarballs.SelectMany(t => new[] { "--assets", t }));
        if (options.Tag.Length > 0)
        {
            publishArgs.AddRange(["--tag", options.Tag]);
        }

        if (options.Replace)
        {
            publishArgs.Add("--replace");
        }

        publishArgs.AddRange(options.GitHub.Length > 0 ? ["--repository", options.GitHub] : ["--to-folder", Path.Combine(Out, "release")]);
        var release = (await tools.ToolOutputsAsync("publish", publishArgs, Stdout.Discard, cancellationToken)).GetValueOrDefault("release-url", "");

        // Every tag, into the layout out/registry or to a registry.
        Begin("push");
        var pushedTo = options.Registry.Length > 0 ? options.Registry : $"oci:{Path.Combine(Out, "registry")}";
        await tools.RunToolAsync(
            "push", ["--layout", layout, "--to", pushedTo, .. options.Registry.Length > 0 ? [$"--dest-tls-verify={(options.RegistryTlsVerify ? "true" : "false")}"] : Array.Empty<string>()],
            Stdout.Discard, cancellationToken);

        Step = "report";
        var tagCount = built.GetValueOrDefault("tags", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        Console.Error.Write(
            $"\n{PipelineOptions.Name}: done\n" +
            (fetched ? $"  packages  {Path.Combine(Out, "fetch")} (fetched.json)\n" : "") +
            $"  tarballs  {string.Join(' ', tarballs)}\n" +
            $"  images    {layout} (OCI layout, {tagCount} tags)\n" +
            $"  test      {testReport} ({engine.ToString().ToLowerInvariant()} engine, passed)\n" +
            $"  guests    {guestsReport} ({string.Join(' ', hosts)} hosts, passed)\n" +
            $"  release   {release}\n" +
            $"  pushed    {pushedTo}\n");
    }

    /// <summary>
    /// The arguments of the qus-tarballs runs of one --packages path: per host of a fetched.json, once for a folder's
    /// RPMs and .debs together, else the path itself (one package, or a folder of emulators).
    /// </summary>
    private static IEnumerable<IReadOnlyList<string>> TarballsRuns(string path)
    {
        var list = Path.Combine(path, FetchedList.FileName);
        if (File.Exists(list))
        {
            return FetchedList.Read(list).Files.Select(f => f.Host).Distinct().Order(StringComparer.Ordinal)
                .Select(h => (IReadOnlyList<string>)["--fetched", list, "--host", h]);
        }

        var packages = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.rpm").Order(StringComparer.Ordinal).Concat(Directory.GetFiles(path, "*.deb").Order(StringComparer.Ordinal)).ToList()
            : [];
        return packages.Count > 0 ? [packages.SelectMany(p => new[] { "--input", p }).ToList()] : [["--input", path]];
    }

    /// <summary>
    /// The native qus-register (NativeAOT) for every runtime this machine builds: its own, and arm64 from x86_64 when
    /// clang and the aarch64 cross toolchain are there (build-native says it cannot with exit 2). Cached per sources
    /// ($QUS_NATIVE_CACHE, default under the run-pipeline cache).
    /// </summary>
    private async Task<IReadOnlyList<string>> NativeRegistersAsync(CancellationToken cancellationToken)
    {
        var natives = new List<string>();
        var environment = new Dictionary<string, string?>
        {
            ["QUS_NATIVE_CACHE"] = Environment.GetEnvironmentVariable("QUS_NATIVE_CACHE") is { Length: > 0 } nativeCache ? nativeCache : Path.Combine(cache, "native"),
        };
        foreach (var rid in new[] { "x64", "arm64" })
        {
            var log = Path.Combine(Out, $"native-{rid}.log");
            try
            {
                var printed = await tools.RunAsync(Path.Combine(root, "tools", "build-native"), [rid, Path.Combine(Out, "native")], null, cancellationToken, environment, log);
                natives.Add(printed.TrimEnd('\n').Split('\n')[^1]);
            }
            catch (StepFailedException cannot) when (cannot.ExitCode == 2)
            {
                var reason = File.ReadAllLines(log).LastOrDefault(l => l.Length > 0) ?? "";
                Console.Error.WriteLine($"{PipelineOptions.Name}: no native qus-register for linux-{rid}: {reason}");
            }
            catch (StepFailedException)
            {
                Console.Error.Write(await File.ReadAllTextAsync(log, cancellationToken));
                throw;
            }
        }

        return natives;
    }

    private void Begin(string step)
    {
        Step = step;
        Console.Error.Write($"\n[{PipelineOptions.Name}] {step}\n");
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
