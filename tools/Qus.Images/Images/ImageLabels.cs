using System.Globalization;
using QemuUserStatic.Architectures;
using QemuUserStatic.Oci;

namespace QemuUserStatic.Images;

/// <summary>
/// The <c>org.opencontainers.image.*</c> labels of each kind of image, and ours (<see cref="HostSbom.LabelKey"/> on
/// the images that carry a host's emulators and its SBOM).
/// </summary>
internal static class ImageLabels
{
    /// <summary>RFC 3339 in UTC with seconds, the form image configs and labels use.</summary>
    public static string Rfc3339(long secondsSinceEpoch) =>
        DateTimeOffset.FromUnixTimeSeconds(secondsSinceEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The labels of one image.</summary>
    public static SortedDictionary<string, string> For(
        ImageKind kind, HostEmulators host, string? target, string version, string created, ImageSetOptions options)
    {
        var (title, description) = kind switch
        {
            ImageKind.Emulator => (
                QemuNames.EmulatorFileName(target!),
                $"QEMU {target} user-mode emulator, static, at /usr/bin/{QemuNames.EmulatorFileName(target!)}, for {host.Host.Name} hosts"),
            ImageKind.Emulators => (
                "qemu-user-static",
                $"QEMU user-mode emulators for {host.Targets.Count} targets in /usr/bin, for {host.Host.Name} hosts; " +
                "the /register entrypoint registers them with binfmt_misc"),
            _ => (
                "qemu-user-static register",
                "The /register entrypoint that registers QEMU user-mode emulators with binfmt_misc (no emulators included)"),
        };
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [AnnotationKeys.Title] = title,
            [AnnotationKeys.Description] = description,
            [AnnotationKeys.Version] = version,
            [AnnotationKeys.Created] = created,
        };
        if (!string.IsNullOrEmpty(options.Source))
        {
            labels[AnnotationKeys.Source] = options.Source;
        }

        if (!string.IsNullOrEmpty(options.Revision))
        {
            labels[AnnotationKeys.Revision] = options.Revision;
        }

        if (kind != ImageKind.Register && host.Sbom is { } sbom)
        {
            labels[HostSbom.LabelKey] = sbom.LabelValue;
        }

        return labels;
    }
}
