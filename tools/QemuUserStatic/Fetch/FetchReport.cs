using System.Globalization;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Fetch;

/// <summary>What qus-fetch tells its caller: a line per file on stdout, step outputs and a summary table in Actions.</summary>
public static class FetchReport
{
    /// <summary>Prints NAME SIZE SHA256 per file and sets the outputs <c>files</c>, <c>fetched</c> and <c>version</c>.</summary>
    public static void Print(FetchedList fetched, string outputDirectory, TextWriter stdout, GitHubActions actions)
    {
        foreach (var file in fetched.Files)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Name}  {file.Size}  sha256:{file.Sha256}  {string.Join(",", file.Checks)}"));
        }

        actions.SetOutput("files", string.Join("\n", fetched.Files.Select(f => Path.Combine(outputDirectory, f.Name))));
        actions.SetOutput("fetched", Path.Combine(outputDirectory, FetchedList.FileName));
        actions.SetOutput("version", fetched.Version);
        actions.AppendSummary($"### qus-fetch: {fetched.Source} {fetched.Version}\n\n" + GitHubActions.MarkdownTable(
            ["host", "file", "size", "sha256", "verified"],
            fetched.Files.Select(f => (IReadOnlyList<string>)[f.Host, f.Name, f.Size.ToString(CultureInfo.InvariantCulture), f.Sha256, string.Join(", ", f.Checks)])));
    }
}
