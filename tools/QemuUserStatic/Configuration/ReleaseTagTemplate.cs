using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Configuration;

/// <summary>
/// The GitHub release tag of a release (a qus-tarballs manifest), from a template with <c>{tagVersion}</c> (the
/// manifest's tag version, 7.2.0-1 or 7.2-7-deb12u18-b3, which images are tagged with too), <c>{version}</c>
/// (QEMU's version, 7.2.0) and <c>{release}</c> (Fedora's release or Debian's revision, 1.fc38 or 7+deb12u18+b3).
/// The default <c>v{tagVersion}</c> gives v7.2.0-1, the tag the register action downloads from.
/// </summary>
public sealed partial record ReleaseTagTemplate
{
    // Declared before Default: static fields initialize in order.
    private static readonly string[] Placeholders = ["tagVersion", "version", "release"];

    /// <summary>The default template, <c>v{tagVersion}</c>.</summary>
    public static ReleaseTagTemplate Default { get; } = new("v{tagVersion}");

    /// <summary>Checks the template: only known placeholders, balanced braces.</summary>
    public ReleaseTagTemplate(string template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            throw new UserException("the release tag template is empty");
        }

        var withoutPlaceholders = Placeholder().Replace(template, match =>
            Placeholders.Contains(match.Groups[1].Value)
                ? ""
                : throw new UserException($"unknown placeholder {match.Value} in release tag template '{template}' (known: {{tagVersion}}, {{version}}, {{release}})"));
        if (withoutPlaceholders.IndexOfAny(['{', '}']) >= 0)
        {
            throw new UserException($"unbalanced brace in release tag template '{template}'");
        }

        Template = template;
    }

    /// <summary>The template as written.</summary>
    public string Template { get; }

    /// <summary>The tag for the release <paramref name="manifest"/> describes; a result git would refuse as a tag name is an error.</summary>
    public string Render(Manifests.ReleaseManifest manifest)
    {
        var dash = manifest.PackageVersion.LastIndexOf('-');
        var release = dash < 0 ? "" : manifest.PackageVersion[(dash + 1)..];
        var tag = Template.Replace("{tagVersion}", manifest.TagVersion).Replace("{version}", manifest.QemuVersion).Replace("{release}", release);
        if (!IsValidTagName(tag))
        {
            throw new UserException($"release tag '{tag}' (from template '{Template}' and version {manifest.PackageVersion}) is not a valid git tag name");
        }

        return tag;
    }

    /// <summary>True when git accepts <paramref name="tag"/> as a tag name (git check-ref-format rules).</summary>
    public static bool IsValidTagName(string tag) =>
        tag.Length > 0 && !tag.StartsWith('-') && !tag.StartsWith('.') && !tag.EndsWith('.') && !tag.EndsWith('/') &&
        !tag.EndsWith(".lock", StringComparison.Ordinal) && !tag.Contains("..", StringComparison.Ordinal) &&
        !tag.Contains("@{", StringComparison.Ordinal) && !tag.Contains("//", StringComparison.Ordinal) && tag != "@" &&
        !tag.Any(c => c < 0x20 || c == 0x7f || " ~^:?*[\\".Contains(c));

    /// <inheritdoc />
    public override string ToString() => Template;

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();
}
