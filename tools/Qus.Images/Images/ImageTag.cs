using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Images;

/// <summary>
/// One tag the images are published under, with the original's names: <c>FROM-TO</c> and <c>FROM-TO-VERSION</c>
/// (one host's emulator), <c>TO</c> and <c>TO-VERSION</c> (the same, for every host that has it), <c>latest</c> and
/// <c>VERSION</c> (every emulator with /register), and <c>register</c>.
/// </summary>
/// <param name="Name">The tag.</param>
/// <param name="Kind">What the image holds.</param>
/// <param name="Target">For emulator images, the target (QEMU's name: aarch64).</param>
/// <param name="Host">For <c>FROM-TO</c> tags, the one host architecture; null when the tag covers every host.</param>
internal sealed partial record ImageTag(string Name, ImageKind Kind, string? Target, string? Host)
{
    /// <summary>True for a valid OCI tag: <c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>.</summary>
    public static bool IsValid(string tag) => TagPattern().IsMatch(tag);

    /// <summary>
    /// Every tag of an image set: for each host its <c>FROM-TO</c> tags, then the per-target and whole-set tags,
    /// sorted by name. <paramref name="version"/> must be a valid tag; names that collide are a user error.
    /// </summary>
    public static IReadOnlyList<ImageTag> All(IReadOnlyList<HostEmulators> hosts, string version)
    {
        if (!IsValid(version) || version is ImageSetTags.Latest or ImageSetTags.Register)
        {
            throw new UserException($"version '{version}' is not usable as an image tag (letters, digits, '.', '_', '-'; not latest or register)");
        }

        var tags = new List<ImageTag>
        {
            new(ImageSetTags.Latest, ImageKind.Emulators, null, null),
            new(version, ImageKind.Emulators, null, null),
            new(ImageSetTags.Register, ImageKind.Register, null, null),
        };
        foreach (var host in hosts)
        {
            foreach (var target in host.Targets)
            {
                tags.Add(new($"{host.Host.Name}-{target.Name}", ImageKind.Emulator, target.Name, host.Host.Name));
                tags.Add(new($"{host.Host.Name}-{target.Name}-{version}", ImageKind.Emulator, target.Name, host.Host.Name));
            }
        }

        foreach (var target in hosts.SelectMany(h => h.Targets).Select(t => t.Name).Distinct())
        {
            tags.Add(new(target, ImageKind.Emulator, target, null));
            tags.Add(new($"{target}-{version}", ImageKind.Emulator, target, null));
        }

        var clash = tags.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new UserException($"tag '{clash.Key}' would name two different images; choose another --tag-version");
        }

        var invalid = tags.FirstOrDefault(t => !IsValid(t.Name));
        return invalid is null
            ? tags.OrderBy(t => t.Name, StringComparer.Ordinal).ToList()
            : throw new UserException($"tag '{invalid.Name}' is not a valid OCI tag (at most 128 characters)");
    }

    /// <summary>The tags named in <paramref name="names"/> (a --tags list); an unknown name is a user error.</summary>
    public static IReadOnlyList<ImageTag> Select(IReadOnlyList<ImageTag> all, IReadOnlyCollection<string> names)
    {
        var byName = all.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var unknown = names.FirstOrDefault(n => !byName.ContainsKey(n));
        return unknown is null
            ? all.Where(t => names.Contains(t.Name)).ToList()
            : throw new UserException(
                $"--tags: no tag '{unknown}' in this image set (e.g. {string.Join(", ", all.Take(6).Select(t => t.Name))}, ...)");
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();
}
