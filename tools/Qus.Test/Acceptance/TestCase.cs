using QemuUserStatic.Acceptance.Cases;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Acceptance;

/// <summary>
/// One acceptance case of the images, numbered as the original test.sh runs them. A case throws
/// <see cref="CaseFailedException"/> when a check does not hold and <see cref="CaseNotApplicableException"/> when the
/// engine cannot run it; it arranges the registration it needs itself, so any subset runs on its own.
/// </summary>
/// <param name="number">The case's number.</param>
/// <param name="title">What the case checks, in one line, for a run's target.</param>
internal abstract class TestCase(int number, Func<AcceptanceSettings, string> title)
{
    /// <summary>Every case, in order.</summary>
    public static IReadOnlyList<TestCase> All { get; } =
    [
        new LatestRegistersPersistent(),
        new GuestRuns(),
        new GuestBuild(),
        new RegisterImageNeedsInterpreter(),
        new EmulatorImages(),
        new MultiStageBuild(),
        new CredentialFlag(),
    ];

    /// <summary>The case's number.</summary>
    public int Number => number;

    /// <summary>What the case checks, in one line, for <paramref name="settings"/>' target.</summary>
    public string Title(AcceptanceSettings settings) => title(settings);

    /// <summary>Runs the case.</summary>
    public abstract Task RunAsync(CaseContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The cases <paramref name="numbers"/> names (an <see cref="OptionList"/> of numbers and ranges like 1-3), in order;
    /// null or empty: all. An unknown number is a usage error.
    /// </summary>
    public static IReadOnlyList<TestCase> Select(IReadOnlyList<string>? numbers)
    {
        var words = OptionList.Items(numbers);
        if (words.Count == 0)
        {
            return All;
        }

        var chosen = new HashSet<int>();
        foreach (var word in words)
        {
            var bounds = word.Split('-', 2);
            if (!int.TryParse(bounds[0], out var first) || !int.TryParse(bounds[^1], out var last) || first > last ||
                All.All(c => c.Number != first) || All.All(c => c.Number != last))
            {
                throw new UserException($"--cases: '{word}' is not a case number (1-{All.Count}) or range", ExitCodes.Usage);
            }

            chosen.UnionWith(Enumerable.Range(first, last - first + 1));
        }

        return All.Where(c => chosen.Contains(c.Number)).ToList();
    }
}
