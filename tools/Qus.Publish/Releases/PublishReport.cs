using QemuUserStatic.Cli;
using QemuUserStatic.Common;

namespace QemuUserStatic.Releases;

/// <summary>What publishing says, the same for a GitHub release and a release folder: the plan, conflicts, the result.</summary>
internal static class PublishReport
{
    /// <summary>Logs the plan, one line per file, and the assets left alone.</summary>
    public static void LogPlan(Reporter reporter, PublishPlan plan)
    {
        foreach (var item in plan.Assets)
        {
            reporter.Line($"{Verb(item.Action)} {item.File.Name} ({ByteSize.Format(item.File.Size)}): {item.Reason}");
        }

        if (plan.Others.Count > 0)
        {
            reporter.Line($"left alone: {plan.Others.Count} other assets on the release ({string.Join(", ", plan.Others.Select(a => a.Name))})");
        }
    }

    /// <summary>Prints a dry run's plan on <paramref name="output"/>: <paramref name="header"/>, then a line per file.</summary>
    public static void PrintDryRun(TextWriter output, string header, PublishPlan plan)
    {
        output.WriteLine(header);
        foreach (var item in plan.Assets)
        {
            output.WriteLine(item.Action == AssetAction.Conflict
                ? $"would refuse {item.File.Name}: it differs ({item.Reason}) and needs --replace"
                : $"would {Verb(item.Action)} {item.File.Name}");
        }
    }

    /// <summary>Throws the one-line error for files that differ from the release and may not be replaced.</summary>
    public static void ThrowOnConflicts(PublishPlan plan, string tag)
    {
        if (plan.Conflicts is { Count: > 0 } conflicts)
        {
            var what = conflicts.Count == 1 ? $"{conflicts[0].File.Name} differs" : $"{conflicts.Count} files differ";
            var which = string.Join(", ", conflicts.Select(c => $"{c.File.Name} ({c.Reason})"));
            throw new UserException($"{what} from the assets on release {tag}: {which}; run with --replace to replace {(conflicts.Count == 1 ? "it" : "them")}");
        }
    }

    /// <summary>Prints the release's address on stdout and logs the counts (the step outputs are <see cref="PublishResult"/>'s).</summary>
    public static void Write(PublishResult result, Reporter reporter, TextWriter output)
    {
        output.WriteLine(result.ReleaseUrl);
        reporter.Line($"release {result.Tag}: {result.Uploaded} uploaded, {result.Skipped} already there");
    }

    /// <summary>The verb of an action in logs.</summary>
    public static string Verb(AssetAction action) => action switch
    {
        AssetAction.Upload => "upload",
        AssetAction.Skip => "skip",
        AssetAction.Resume => "re-upload",
        AssetAction.Replace => "replace",
        _ => "differs",
    };
}
