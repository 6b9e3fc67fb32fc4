using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Archives;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using QemuUserStatic.Oci;
using QemuUserStatic.Packages;
using QemuUserStatic.Packages.Deb;

namespace QemuUserStatic.Guests;

/// <summary>One platform's image of a <see cref="BusyboxImage"/> layout.</summary>
/// <param name="Tag">Its tag in the layout (<c>x86_64</c>, <c>amd64</c>, <c>guest</c>).</param>
/// <param name="Platform">The platform its configuration and index entry declare.</param>
/// <param name="Deb">Debian's busybox-static package of that architecture.</param>
/// <param name="Extra">More files of the image (the setuid witness).</param>
public sealed record BusyboxPlatform(string Tag, OciPlatform Platform, string Deb, IReadOnlyList<LayerFile> Extra);

/// <summary>
/// A small busybox image made without a daemon or Docker Hub, for the local pipeline's base and guest and for the
/// tests: Debian's busybox-static as <c>/bin/busybox</c> with <see cref="Applets"/> as links, <c>/usr/bin</c> and
/// <c>/tmp</c>, <c>CMD sh</c>, one reproducible layer per platform. An OCI layout with each platform's image tagged,
/// and optionally an index over all of them tagged too.
/// </summary>
public static class BusyboxImage
{
    /// <summary>The applets linked to busybox: what the images' <c>/register</c>, qus-test's cases and the tests use.</summary>
    /// <remarks>Listed, not asked of busybox: a busybox of another architecture cannot run here to list its own.</remarks>
    public static readonly IReadOnlyList<string> Applets =
    [
        "sh", "ash", "cat", "chmod", "chown", "cp", "echo", "env", "false", "find", "grep", "id", "ln", "ls", "mkdir", "mount",
        "printf", "rm", "sed", "sleep", "stat", "test", "touch", "tr", "true", "uname", "wc",
    ];

    /// <summary>The largest busybox program accepted from a package (Debian's is about 2 MiB).</summary>
    public const long MaxProgramBytes = 16L << 20;

    /// <summary>The one mtime of every layer entry (the epoch: the images carry no build time).</summary>
    private static readonly DateTimeOffset Mtime = ReproducibleTar.Mtime(0);

    /// <summary>
    /// A short key of everything the layout is made of (packages, platforms, tags, extra files, applets), to name a
    /// cached layout so that a change of any of them makes a new one.
    /// </summary>
    public static string Key(IReadOnlyList<BusyboxPlatform> images, string? indexTag)
    {
        var identity = new StringBuilder(indexTag).Append('\n').AppendJoin(' ', Applets).Append('\n');
        foreach (var image in images)
        {
            identity.Append(image.Tag).Append(' ').Append(image.Platform).Append(' ').Append(Path.GetFileName(image.Deb)).Append('\n');
            foreach (var file in image.Extra)
            {
                using var content = file.Open();
                identity.Append(file.Path).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(content))).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..12];
    }

    /// <summary>
    /// The layout in <paramref name="folder"/>, written unless it is there already (a folder with index.json): each
    /// image tagged by its <see cref="BusyboxPlatform.Tag"/>, and with <paramref name="indexTag"/> an index over all of
    /// them tagged so. The folder appears whole or not at all.
    /// </summary>
    public static async Task<string> WriteAsync(
        string folder, IReadOnlyList<BusyboxPlatform> images, string? indexTag, CancellationToken cancellationToken = default)
    {
        if (File.Exists(Path.Combine(folder, OciLayout.IndexFileName)))
        {
            return folder;
        }

        var staging = $"{folder}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var layout = await OciLayout.CreateAsync(staging, cancellationToken).ConfigureAwait(false);
        var manifests = new List<Descriptor>();
        foreach (var image in images)
        {
            manifests.Add(await WriteImageAsync(layout, image, cancellationToken).ConfigureAwait(false));
        }

        var entries = manifests.Select((m, i) => m.WithAnnotation(AnnotationKeys.RefName, images[i].Tag)).ToList();
        if (indexTag is not null)
        {
            var index = layout.WriteJson(new ImageIndex { Manifests = manifests }, OciJson.Context.ImageIndex, MediaTypes.ImageIndex);
            entries.Add(index.WithAnnotation(AnnotationKeys.RefName, indexTag));
        }

        await layout.WriteIndexAsync(new ImageIndex { Manifests = entries }, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(folder))!);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process made the same layout first.
            Directory.Delete(staging, recursive: true);
        }

        return folder;
    }

    /// <summary>
    /// The busybox program of Debian's busybox-static package <paramref name="deb"/> (its md5sums checked as it is
    /// read): <c>/bin/busybox</c> until Debian 12, <c>/usr/bin/busybox</c> since Debian 13 merged /usr.
    /// </summary>
    public static byte[] ReadProgram(string deb, CancellationToken cancellationToken = default)
    {
        byte[]? program = null;
        using var package = DebPackage.Open(deb);
        foreach (var entry in package.ReadEntries(cancellationToken))
        {
            if (program is null && entry is { Type: ArchiveEntryType.RegularFile, Path: "bin/busybox" or "usr/bin/busybox" })
            {
                if (entry.Size > MaxProgramBytes)
                {
                    throw new UserException($"{deb}: {entry.Path} has {entry.Size} bytes, more than a busybox may have ({MaxProgramBytes})");
                }

                program = new byte[entry.Size];
                entry.Content.ReadExactly(program);
            }
        }

        return program ?? throw new UserException($"{deb}: no bin/busybox or usr/bin/busybox in the package");
    }

    private static async Task<Descriptor> WriteImageAsync(OciLayout layout, BusyboxPlatform image, CancellationToken cancellationToken)
    {
        List<LayerFile> files =
        [
            LayerFile.FromBytes("bin/busybox", ReadProgram(image.Deb, cancellationToken), ReproducibleTar.Executable),
            .. Applets.Select(a => LayerFile.SymbolicLink($"bin/{a}", "busybox")),
            LayerFile.Folder("usr/bin"),
            LayerFile.Folder("tmp"),
            .. image.Extra,
        ];
        var layer = await Layer.WriteAsync(layout, files, Mtime, cancellationToken).ConfigureAwait(false);
        var config = new ImageConfig
        {
            Architecture = image.Platform.Architecture,
            Variant = image.Platform.Variant,
            Os = image.Platform.Os,
            Config = new ContainerConfig { Env = ["PATH=/usr/bin:/bin"], Cmd = ["sh"] },
            RootFs = new RootFs { DiffIds = [layer.DiffId] },
        };
        var configBlob = layout.WriteJson(config, OciJson.Context.ImageConfig, MediaTypes.ImageConfig);
        var manifest = new ImageManifest { Config = configBlob, Layers = [layer.Blob] };
        return layout.WriteJson(manifest, OciJson.Context.ImageManifest, MediaTypes.ImageManifest) with { Platform = image.Platform };
    }
}
