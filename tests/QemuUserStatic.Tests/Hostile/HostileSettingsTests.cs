using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Hostile;

/// <summary>
/// Issue 16, classes 2 and 3 for what is not a package: a 300 MB qus.yml, one nested 100,000 deep (a stack overflow
/// before), SOURCE_DATE_EPOCH past what a tar header holds. One error line each, the right exit code, bounded memory.
/// </summary>
public class HostileSettingsTests : TempDirTest
{
    [Test]
    public void A_300_MB_qus_yml_is_refused_unread()
    {
        var config = Temp["big.yml"];
        using (var file = File.Create(config))
        {
            file.SetLength(300L << 20);
        }

        var (result, maxRss) = Tarballs(["--config", config]);
        OneLineError.Check(result, "qus-tarballs", $"{config}: 314572800 bytes, more than the limit of 1048576 for a configuration file");
        Assert.That(maxRss, Is.LessThan(200 * 1024), "peak RSS in KiB");
    }

    [Test]
    public void A_qus_yml_nested_100000_deep_is_one_line()
    {
        var config = Temp["deep.yml"];
        File.WriteAllText(config, "targets: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        var (result, _) = Tarballs(["--config", config]);
        OneLineError.Check(result, "qus-tarballs", $"{config}:1: nested more than 16 levels deep");
    }

    [Test]
    public void SOURCE_DATE_EPOCH_past_2242_is_a_usage_error()
    {
        var (result, _) = Tarballs([], new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "99999999999999" });
        OneLineError.Check(result, "qus-tarballs", "SOURCE_DATE_EPOCH 99999999999999 is past 8589934591 (2242), the latest time a tar header holds", exitCode: 2);
        Assert.That(Directory.Exists(Temp["out"]), Is.False);
    }

    private (ProcessResult Result, long MaxRssKiB) Tarballs(string[] args, IDictionary<string, string?>? environment = null) =>
        PeakMemory.RunTool("Qus.Tarballs", ["--input", BrokenPackages.ZstdRpm, "--output", Temp["out"], .. args],
            environment ?? new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = null });
}
