using System.Globalization;
using System.Security.Cryptography;
using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Acceptance.Docker;

/// <summary>
/// The cases on a Docker engine, through the docker CLI; images are loaded from their layout by <see cref="DockerLoad"/>
/// (images from a registry are pulled into a layout of this run first). Images are loaded under names
/// of this run (<c>qus-test-RUN/qemu-user-static:TAG</c>, <c>qus-test-RUN/guest</c>) and removed, with what the cases
/// built, when the engine is disposed. The registering containers change the machine's own binfmt_misc table: it is
/// read before the first case and put back by <see cref="RestoreAsync"/>.
/// </summary>
internal sealed class DockerEngine(
    ImageSources sources, AcceptanceSettings settings, PrivilegeArguments privilege, string? network, Transcript transcript, Reporter reporter)
    : IContainerEngine
{
    private readonly string prefix = "qus-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly AsyncMemo<string, EngineImage> images = new();
    private readonly List<string> created = [];
    private readonly HostBinfmtTable table = new();
    private BinfmtSnapshot? before;
    private string serverVersion = "?";
    private string? refusal;
    private int containers;

    // Where images from a registry are pulled before they are loaded; made on first use, deleted with the engine.
    private readonly Lazy<DirectoryInfo> pulled = new(() => Directory.CreateTempSubdirectory("qus-test-pulled-"));

    /// <inheritdoc />
    public string Name => "docker";

    /// <inheritdoc />
    public string Description =>
        $"docker {serverVersion}, network {network ?? "default"}, registering with {privilege}" +
        (refusal is null ? "" : $" (the engine refused --privileged: {refusal})");

    /// <inheritdoc />
    public string? CannotBuild => null;

    /// <inheritdoc />
    public string? CannotRunAsOtherUser => null;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = await DockerAsync(["version", "--format", "{{.Server.Version}}"], log: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!version.Succeeded)
        {
            throw new UserException($"docker: the engine does not answer: {version.LastError}");
        }

        serverVersion = version.StandardOutput.Trim();
        if (network is null)
        {
            // A daemon started with --bridge=none has no default network: every container needs --network none.
            var bridge = await DockerAsync(["network", "inspect", "bridge"], log: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            network = bridge.Succeeded ? null : "none";
        }

        table.EnsureMounted();
        before = table.Snapshot();
        reporter.Line($"engine: {Description}; binfmt_misc has {before.Entries.Count} entries before the run");
    }

    /// <inheritdoc />
    public Task<EngineImage> ImageAsync(string tag, CancellationToken cancellationToken) =>
        images.GetAsync(tag, () => LoadAsync(sources.Image(tag), $"{prefix}/qemu-user-static:{tag}", settings.HostPlatform, cancellationToken));

    /// <inheritdoc />
    public Task<EngineImage> ImageAsync(string tag, OciPlatform platform, CancellationToken cancellationToken) =>
        platform == settings.HostPlatform
            ? ImageAsync(tag, cancellationToken)
            : images.GetAsync($"{tag} {platform}", () => LoadAsync(
                sources.Image(tag), $"{prefix}/qemu-user-static:{tag}-{platform.ToString().Replace('/', '-')}", platform, cancellationToken));

    /// <inheritdoc />
    public Task<EngineImage> GuestAsync(CancellationToken cancellationToken) =>
        images.GetAsync(" guest", () => LoadAsync(sources.Guest, $"{prefix}/guest:latest", settings.GuestPlatform, cancellationToken));

    /// <inheritdoc />
    public async Task<ProcessOutput> RunAsync(ContainerRun run, CancellationToken cancellationToken)
    {
        var output = await DockerAsync(RunArguments(run), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (run.Privileged && privilege.RefusedBy(output))
        {
            refusal = output.LastError;
            privilege = PrivilegeArguments.Fallback;
            transcript.Add($"(the engine refused --privileged; registering with {privilege} instead)");
            output = await DockerAsync(RunArguments(run), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return output;
    }

    /// <inheritdoc />
    public async Task<(ProcessOutput Output, EngineImage Image)> BuildAsync(string name, string dockerfile, CancellationToken cancellationToken)
    {
        var image = $"{prefix}/{name}";
        transcript.Add($"Dockerfile:\n{dockerfile}");
        lock (created)
        {
            created.Add(image);
        }

        // --no-cache: a RUN step the builder remembers from an earlier run would not run in the guest again.
        var output = await DockerAsync(["build", "--force-rm", "--no-cache", .. NetworkArguments(), "-t", image, "-"], dockerfile, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (output, new EngineImage(image));
    }

    /// <inheritdoc />
    public async Task<EngineImage> DeriveAsync(EngineImage baseImage, string name, string rootScript, CancellationToken cancellationToken)
    {
        var (output, image) = await BuildAsync(name, $"FROM {baseImage.Name}\nRUN {rootScript}\n", cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? image : throw new CaseFailedException($"building {image} on {baseImage} failed: {output.LastError}");
    }

    /// <inheritdoc />
    public async Task CopyFromImageAsync(EngineImage image, string path, string destination, CancellationToken cancellationToken)
    {
        var container = $"{prefix}-copy-{Interlocked.Increment(ref containers).ToString(CultureInfo.InvariantCulture)}";
        var create = await DockerAsync(["create", .. NetworkArguments(), "--name", container, image.Name, path], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!create.Succeeded)
        {
            throw new CaseFailedException($"cannot create a container of {image}: {create.LastError}");
        }

        try
        {
            var copy = await DockerAsync(["cp", $"{container}:{path}", destination], cancellationToken: cancellationToken).ConfigureAwait(false);
            CaseContext.Expect(copy.Succeeded, $"cannot copy {path} out of {image}: {copy.LastError}");
        }
        finally
        {
            await DockerAsync(["rm", "-f", container], log: false, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<string?> ReadBinfmtEntryAsync(string name, CancellationToken cancellationToken) => Task.FromResult(table.Read(name));

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RestoreAsync(CancellationToken cancellationToken)
    {
        if (before is null)
        {
            return [];
        }

        var plan = before.RestoreFrom(table.Snapshot());
        if (plan.IsEmpty)
        {
            reporter.Line("binfmt_misc: as before the run");
            return [];
        }

        reporter.Line($"binfmt_misc: removing {string.Join(", ", plan.Remove)}" +
                      (plan.Register.Count == 0 ? "" : $"; registering again {string.Join(", ", plan.Register.Select(e => e.Name))}"));
        var failures = HostBinfmtTable.Writable ? plan.ApplyTo(table.Misc) : await RestoreInContainerAsync(plan, cancellationToken).ConfigureAwait(false);
        var left = before.Differences(table.Snapshot());
        return failures.Count > 0 ? failures : left.Select(d => $"binfmt_misc entry {d[2..]} is not as before the run ({d[..1]})").ToList();
    }

    /// <summary>Removes the images this run loaded and built.</summary>
    public async ValueTask DisposeAsync()
    {
        string[] names;
        lock (created)
        {
            names = [.. created.Distinct()];
        }

        if (names.Length > 0)
        {
            await DockerAsync(["image", "rm", .. names], log: false, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        if (pulled.IsValueCreated)
        {
            pulled.Value.Delete(recursive: true);
        }
    }

    // Where this process may not write the table (not root), a registering container writes it, with the interpreters
    // of F entries bound in at their paths: the kernel opens them when the entry is registered.
    private async Task<IReadOnlyList<string>> RestoreInContainerAsync(BinfmtRestore plan, CancellationToken cancellationToken)
    {
        var mount = table.Misc.Folder;
        var image = await ImageAsync(Images.ImageSetTags.Register, cancellationToken).ConfigureAwait(false);
        var script = $"[ -e {mount}/register ] || mount -t binfmt_misc binfmt_misc {mount} || exit 1\n" + plan.ToScript(mount);
        var interpreters = plan.Register.Where(e => e.Entry.Flags.HasFlag(BinfmtFlags.FixBinary) && File.Exists(e.Entry.Interpreter))
            .Select(e => (e.Entry.Interpreter, e.Entry.Interpreter)).Distinct().ToList();
        var output = await RunAsync(
            new ContainerRun(image, ["-c", script]) { Privileged = true, Entrypoint = "/bin/sh", Mounts = interpreters }, cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? [] : [$"restoring binfmt_misc in a container failed: {output.LastError}"];
    }

    private async Task<EngineImage> LoadAsync(string source, string name, OciPlatform platform, CancellationToken cancellationToken)
    {
        lock (created)
        {
            created.Add(name);
        }

        var local = await sources.LocalAsync(source, platform, pulled.Value.FullName, reporter, cancellationToken).ConfigureAwait(false);
        try
        {
            var (output, archive) = await DockerLoad.LayoutImageAsync(local, name, platform, cancellationToken).ConfigureAwait(false);
            transcript.Add($"(streamed {local} for {platform} into docker load: image {archive.Config.Digest})");
            transcript.Add(output);
            return output.Succeeded ? new EngineImage(name) : throw new CaseFailedException($"{source} could not be loaded into docker: {output.LastError}");
        }
        catch (UserException ex)
        {
            throw new CaseFailedException($"{source} could not be loaded into docker: {ex.Message}");
        }
    }

    private List<string> RunArguments(ContainerRun run)
    {
        var arguments = new List<string> { "run", "--rm" };
        arguments.AddRange(NetworkArguments());
        if (run.Privileged)
        {
            arguments.AddRange(privilege.Arguments);
        }

        if (run.User is not null)
        {
            arguments.AddRange(["--user", run.User]);
        }

        if (run.Entrypoint is not null)
        {
            arguments.AddRange(["--entrypoint", run.Entrypoint]);
        }

        foreach (var (hostPath, containerPath) in run.Mounts)
        {
            arguments.AddRange(["-v", $"{hostPath}:{containerPath}"]);
        }

        arguments.Add(run.Image.Name);
        arguments.AddRange(run.Arguments);
        return arguments;
    }

    private IReadOnlyList<string> NetworkArguments() => network is null ? [] : ["--network", network];

    private async Task<ProcessOutput> DockerAsync(
        IReadOnlyList<string> arguments, string? standardInput = null, bool log = true, CancellationToken cancellationToken = default)
    {
        var output = await ExternalCommand.RunAsync("docker", arguments, standardInput, DockerLoad.DockerHint, cancellationToken).ConfigureAwait(false);
        if (log)
        {
            transcript.Add(output);
        }

        return output;
    }
}
