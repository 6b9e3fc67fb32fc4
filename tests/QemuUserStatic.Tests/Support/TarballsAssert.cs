namespace QemuUserStatic.Tests.Support;

/// <summary>The outcome every failed qus-tarballs run must have: one error line, the right exit code, no stack trace, nothing written.</summary>
public static class TarballsAssert
{
    /// <summary>
    /// Runs twice: into a new folder (which must not exist afterwards) and into a folder holding a file (which must
    /// hold exactly that file afterwards); both fail with one line containing <paramref name="problem"/>, each within
    /// <paramref name="timeout"/> when given (a run still going then is a failure).
    /// </summary>
    public static void Fails(TempDir temp, IReadOnlyList<string> inputs, string problem, IReadOnlyList<string>? args = null, TimeSpan? timeout = null)
    {
        var fresh = temp["fresh-out"];
        OneLineError(TarballsTool.Run(inputs, fresh, args, timeout: timeout), problem);
        Assert.That(Directory.Exists(fresh), Is.False, "a failed run leaves no output folder it created");

        var existing = temp["existing-out"];
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "keep.txt"), "earlier");
        OneLineError(TarballsTool.Run(inputs, existing, args, timeout: timeout), problem);
        Assert.That(Directory.GetFileSystemEntries(existing).Select(Path.GetFileName), Is.EqualTo(new[] { "keep.txt" }),
            "a failed run leaves nothing in an existing output folder");
    }

    /// <summary>Exit code <paramref name="exitCode"/>, exactly one <c>qus-tarballs:</c> line, an error containing <paramref name="problem"/>, no stack trace.</summary>
    public static void OneLineError(ProcessResult result, string problem, int exitCode = 1) =>
        Support.OneLineError.Check(result, "qus-tarballs", problem, exitCode);
}
