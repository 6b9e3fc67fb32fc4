using System.Globalization;
using System.Runtime.Versioning;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;
using QemuUserStatic.Sandbox;

namespace QemuUserStatic.Acceptance.Sandbox;

/// <summary>
/// The cases without a daemon and without touching the machine's binfmt_misc: every image is unpacked from its OCI
/// layout into a folder (<see cref="RootFilesystem"/>), and /register and the guest's programs run chrooted into those
/// folders (<c>unshare --root</c>) inside one <see cref="UserNamespace"/> with a private binfmt_misc, which vanishes
/// with the run. The host's /proc (with the private binfmt_misc on it) and /dev are bound into every image, as a
/// container has them. It builds nothing: cases that build are not applicable.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SandboxEngine(ImageSources sources, AcceptanceSettings settings, string workFolder, Transcript transcript, Reporter reporter)
    : IContainerEngine
{
    // Binds SOURCE TARGET pairs up to "--" in a mount namespace of this command alone, then runs the rest.
    private const string BindScript =
        "while [ \"$1\" != -- ]; do mount --bind \"$1\" \"$2\" || exit 125; shift 2; done; shift; exec \"$@\"";

    private readonly AsyncMemo<string, EngineImage> loaded = new();
    private readonly Dictionary<string, SandboxImage> images = new(StringComparer.Ordinal);
    private readonly MountTargets mountTargets = new();
    private UserNamespace? space;

    /// <inheritdoc />
    public string Name => "sandbox";

    /// <inheritdoc />
    public string Description =>
        "sandbox: images unpacked into folders, run in a user+mount namespace with a private binfmt_misc" +
        (space is { MapsManyIds: false } ? " (root only)" : "");

    /// <inheritdoc />
    public string? CannotBuild => "the sandbox engine does not build images (run it with --engine docker)";

    /// <inheritdoc />
    public string? CannotRunAsOtherUser =>
        space is { MapsManyIds: false } ? "the sandbox maps only root when qus-test does not run as root: no other user to run the program as" : null;

    private UserNamespace Space => space ?? throw new InvalidOperationException("the sandbox is not started");

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The namespace's root is not this process's user: it must be able to reach the unpacked images.
        File.SetUnixFileMode(workFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                         UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        space = await UserNamespace.StartAsync(cancellationToken).ConfigureAwait(false);
        reporter.Line($"engine: {Description} (holder pid {space.Pid})");
    }

    /// <inheritdoc />
    public Task<EngineImage> ImageAsync(string tag, CancellationToken cancellationToken) =>
        loaded.GetAsync(tag, () => UnpackAsync(tag, sources.Image(tag), settings.HostPlatform, cancellationToken));

    /// <inheritdoc />
    public Task<EngineImage> ImageAsync(string tag, OciPlatform platform, CancellationToken cancellationToken) =>
        platform == settings.HostPlatform
            ? ImageAsync(tag, cancellationToken)
            : loaded.GetAsync($"{tag} {platform}", () => UnpackAsync($"{tag}-{platform.ToString().Replace('/', '-')}", sources.Image(tag), platform, cancellationToken));

    /// <inheritdoc />
    public Task<EngineImage> GuestAsync(CancellationToken cancellationToken) =>
        loaded.GetAsync(" guest", () => UnpackAsync("guest-image", sources.Guest, settings.GuestPlatform, cancellationToken));

    /// <inheritdoc />
    public async Task<ProcessOutput> RunAsync(ContainerRun run, CancellationToken cancellationToken)
    {
        var image = Image(run.Image);
        var user = new List<string>();
        if (run.User is not null)
        {
            var ids = run.User.Split(':');
            user.AddRange(["--setuid", ids[0], "--setgid", ids.Length > 1 ? ids[1] : ids[0]]);
        }

        // env -i: the image's environment only; unshare --root: chroot, cd, drop to the user, exec (in the image's PATH).
        List<string> command =
        [
            "env", "-i", .. image.Environment,
            "unshare", "--root", image.Root, "--wd", image.WorkingDirectory, .. user, "--", .. image.Command(run.Entrypoint, run.Arguments),
        ];
        var bound = new List<string>();
        try
        {
            if (run.Mounts.Count > 0)
            {
                var binds = new List<string>();
                foreach (var (hostPath, containerPath) in run.Mounts)
                {
                    // Resolved inside the image (links too): mount(8) would follow a link of the image on the host.
                    var target = PathInRoot.Resolve(image.Root, containerPath);
                    // A bind needs something to bind over; what is made for it is removed afterwards.
                    mountTargets.Acquire(target, Directory.Exists(hostPath));
                    bound.Add(target);
                    binds.AddRange([hostPath, target]);
                }

                command = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", BindScript, "sh", .. binds, "--", .. command];
            }

            var output = await Space.RunAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false);
            transcript.Add(output);
            return output;
        }
        finally
        {
            bound.ForEach(mountTargets.Release);
        }
    }

    /// <inheritdoc />
    public Task<(ProcessOutput Output, EngineImage Image)> BuildAsync(string name, string dockerfile, CancellationToken cancellationToken) =>
        throw new CaseNotApplicableException(CannotBuild!);

    /// <inheritdoc />
    public async Task<EngineImage> DeriveAsync(EngineImage baseImage, string name, string rootScript, CancellationToken cancellationToken)
    {
        var source = Image(baseImage);
        var root = Path.Combine(workFolder, "rootfs-" + name);
        var copy = await ExternalCommand.RunAsync("cp", ["-a", "--", source.Root, root], cancellationToken: cancellationToken).ConfigureAwait(false);
        transcript.Add(copy);
        CaseContext.Expect(copy.Succeeded, $"cannot copy {source.Root}: {copy.LastError}");
        var derived = await AddAsync(name, new SandboxImage(root, source.Config), cancellationToken).ConfigureAwait(false);
        var output = await RunAsync(new ContainerRun(derived, ["-c", rootScript]) { Entrypoint = "/bin/sh" }, cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? derived : throw new CaseFailedException($"preparing {name} in {baseImage} failed: {output.LastError}");
    }

    /// <inheritdoc />
    public Task CopyFromImageAsync(EngineImage image, string path, string destination, CancellationToken cancellationToken)
    {
        var source = PathInRoot.Resolve(Image(image).Root, path);
        if (Directory.Exists(source))
        {
            // A folder (another host's emulators): its files, as docker cp copies a folder.
            Directory.CreateDirectory(destination);
            // Regular files only: a link of the image must not make this read a file of the machine.
            foreach (var file in Directory.GetFiles(source).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
                File.SetUnixFileMode(Path.Combine(destination, Path.GetFileName(file)), File.GetUnixFileMode(file) & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup));
            }

            transcript.Add($"(copied {path} of {image} to {destination})");
            return Task.CompletedTask;
        }

        CaseContext.Expect(File.Exists(source), $"{image} has no {path}");
        File.Copy(source, destination, overwrite: true);
        File.SetUnixFileMode(destination, File.GetUnixFileMode(source) & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup));
        transcript.Add($"(copied {path} of {image} to {destination})");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<string?> ReadBinfmtEntryAsync(string name, CancellationToken cancellationToken)
    {
        var output = await Space.RunAsync(["cat", $"{Binfmt.BinfmtMisc.DefaultFolder}/{name}"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return output.Succeeded ? output.StandardOutput : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RestoreAsync(CancellationToken cancellationToken)
    {
        // Nothing to put back: the entries live in the namespace's own binfmt_misc, which ends with it.
        reporter.Line("binfmt_misc: the sandbox's own; the machine's table was never touched");
        return Task.FromResult<IReadOnlyList<string>>([]);
    }

    /// <summary>Ends the namespace (its binfmt_misc and mounts with it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (space is not null)
        {
            await space.DisposeAsync().ConfigureAwait(false);
        }
    }

    private SandboxImage Image(EngineImage image)
    {
        lock (images)
        {
            return images[image.Name];
        }
    }

    // Images from a registry are copied into a layout of this run first (one platform), then unpacked like a layout's.
    private async Task<EngineImage> UnpackAsync(string name, string source, OciPlatform platform, CancellationToken cancellationToken)
    {
        var reference = await sources.LocalAsync(source, platform, Path.Combine(workFolder, "pulled"), reporter, cancellationToken).ConfigureAwait(false);

        var image = await BaseImage.FromLayout(reference, "image", "image").ForPlatformAsync(platform, cancellationToken).ConfigureAwait(false);
        var root = Path.Combine(workFolder, "rootfs-" + name);
        var started = DateTime.UtcNow;
        await RootFilesystem.UnpackAsync(image, root, Space.HostIds, cancellationToken).ConfigureAwait(false);
        transcript.Add(string.Create(CultureInfo.InvariantCulture,
            $"(unpacked {reference} for {platform}, {image.Layers.Count} layers, into {root} in {(DateTime.UtcNow - started).TotalSeconds:0.00} s)"));
        return await AddAsync(name, new SandboxImage(root, image.Config.Config), cancellationToken).ConfigureAwait(false);
    }

    // Binds the host's /proc (with the namespace's binfmt_misc) and /dev into the image, inside the namespace only.
    private async Task<EngineImage> AddAsync(string name, SandboxImage image, CancellationToken cancellationToken)
    {
        var proc = PathInRoot.Resolve(image.Root, "proc", createFolders: true);
        var dev = PathInRoot.Resolve(image.Root, "dev", createFolders: true);
        var bind = await Space.RunAsync(
            ["sh", "-c", "mount --rbind /proc \"$1\" && mount --rbind /dev \"$2\"", "sh", proc, dev],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!bind.Succeeded)
        {
            transcript.Add(bind);
            throw new UserException($"cannot bind /proc and /dev into {image.Root} in the sandbox: {bind.LastError}");
        }

        lock (images)
        {
            images[name] = image;
        }

        return new EngineImage(name);
    }
}
