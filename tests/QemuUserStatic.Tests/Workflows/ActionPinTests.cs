using System.Text.RegularExpressions;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Workflows;

/// <summary>
/// Every third-party action the workflows and actions use is pinned by its full commit SHA (a tag can be moved to
/// other code; a commit cannot), with the version it stands for as a trailing comment for readers and updaters.
/// </summary>
public partial class ActionPinTests
{
    [TestCaseSource(typeof(GitHubYaml), nameof(GitHubYaml.AllFilesRelative))]
    public void Every_non_local_action_is_pinned_by_a_commit_sha_with_its_version(string file)
    {
        // Read as text: YAML parsers drop the comment that carries the version.
        var uses = File.ReadLines(Path.Combine(Repo.Root, file)).Select(l => Uses().Match(l)).Where(m => m.Success).ToList();
        foreach (var use in uses.Where(m => !m.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal)))
        {
            Assert.That(Pinned().IsMatch(use.Groups["ref"].Value), Is.True, $"{file}: {use.Value.Trim()} is not OWNER/REPO@<40-hex sha> # vX.Y.Z");
        }
    }

    [Test]
    public void The_pins_are_found_at_all()
    {
        var pinned = GitHubYaml.AllFilesRelative().SelectMany(f => File.ReadLines(Path.Combine(Repo.Root, f))).Count(l => Uses().IsMatch(l) && Pinned().IsMatch(Uses().Match(l).Groups["ref"].Value));
        Assert.That(pinned, Is.GreaterThanOrEqualTo(20), "the checks above saw the workflows' uses: lines");
    }

    // A step's uses: line, not a commented example (# uses: OWNER/REPO/...@REF).
    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*(?<ref>\S.*?)\s*$")]
    private static partial Regex Uses();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")]
    private static partial Regex Pinned();
}
