using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace QemuUserStatic.Releases;

/// <summary>A GitHub repository, <c>OWNER/NAME</c>.</summary>
internal sealed partial record GitHubRepository(string Owner, string Name)
{
    /// <summary>Parses <c>OWNER/NAME</c> with GitHub's rules for both parts; false for anything else.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out GitHubRepository? repository)
    {
        repository = null;
        var match = value is null ? Match.Empty : Pattern().Match(value);
        if (!match.Success || match.Groups["name"].Value is "." or "..")
        {
            return false;
        }

        repository = new GitHubRepository(match.Groups["owner"].Value, match.Groups["name"].Value);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Owner}/{Name}";

    // Owners: letters, digits and single inner hyphens, at most 39; names: letters, digits, '.', '-', '_', at most 100.
    [GeneratedRegex("^(?<owner>[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex Pattern();
}
