using CliWrap;
using QemuUserStatic.Cli;

namespace Qus.Pipeline;

/// <summary>A program of a step ended non-zero: the run stops with its exit code (it said why on stderr).</summary>
internal sealed class StepFailedException(int exitCode, string output) : Exception($"exit code {exitCode}")
{
    /// <summary>The program's exit code.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>What it printed on stdout, when that was kept.</summary>
    public string Output { get; } = output;
}

/// <summary>Where a program's standard output goes.</summary>
internal enum Stdout
{
    /// <summary>Into this process's stderr (progress, beside the tools' own).</summary>
    ToStderr,

    /// <summary>Nowhere (what the summary says instead).</summary>
    Discard,
}

/// <summary>
/// The qus-* tools as users install them: packed into artifacts/packages, restored through the local tool manifest
/// (.config/dotnet-tools.json) and run with <c>dotnet tool run</c> from the repository root. A tool's step outputs
/// come back from its <c>$GITHUB_OUTPUT</c> file, the contract the workflow chains them by.
/// </summary>
internal sealed class Tools(string root)
{
    private string Private => Path.Combine(root, "artifacts", "tools");

    /// <summary>
    /// Packs every tools/Qus.* step tool and restores them. NuGet keeps a package of one version forever, so the tools'
    /// package folder is private to the pipeline and refreshed every run; so is the resolver cache under
    /// DOTNET_CLI_HOME, which would otherwise be shared by every checkout and resolve to another checkout's packages.
    /// </summary>
    public async Task PackAsync(CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable("DOTNET_NOLOGO", "1");
        Environment.SetEnvironmentVariable("DOTNET_CLI_TELEMETRY_OPTOUT", "1");
        Environment.SetEnvironmentVariable("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1");
        var packages = Path.Combine(Private, "nuget-packages");
        Environment.SetEnvironmentVariable("NUGET_PACKAGES", packages);
        Environment.SetEnvironmentVariable("DOTNET_CLI_HOME", Path.Combine(Private, "cli-home"));
        Directory.CreateDirectory(Private);

        // A solution filter of the step tools only: the tests, and this program, need not be built to run the pipeline.
        var projects = Directory.GetDirectories(Path.Combine(root, "tools"), "Qus.*")
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(p => File.Exists(p) && Path.GetFileNameWithoutExtension(p) != "Qus.Pipeline")
            .Select(p => $"\"{Path.GetRelativePath(root, p)}\"")
            .Order(StringComparer.Ordinal);
        var filter = Path.Combine(Private, "tools.slnf");
        await File.WriteAllTextAsync(filter, $"{{\"solution\":{{\"path\":\"../../QemuUserStatic.sln\",\"projects\":[{string.Join(',', projects)}]}}}}\n", cancellationToken);
        await RunAsync("dotnet", ["pack", filter, "-c", "Release", "--nologo", "-v", "quiet"], Stdout.ToStderr, cancellationToken);

        if (Directory.Exists(packages))
        {
            Directory.Delete(packages, recursive: true);
        }

        var config = Path.Combine(Private, "nuget.config");
        await File.WriteAllTextAsync(config,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /><add key=\"qus\" value=\"" +
            System.Security.SecurityElement.Escape(Path.Combine(root, "artifacts", "packages")) + "\" /></packageSources></configuration>\n",
            cancellationToken);
        try
        {
            // Its list of every tool restored is noise, unless it fails.
            await RunAsync("dotnet", ["tool", "restore", "--configfile", config], null, cancellationToken);
        }
        catch (StepFailedException failed)
        {
            Console.Error.Write(failed.Output);
            throw;
        }
    }

    /// <summary>Runs qus-<paramref name="tool"/>; a non-zero exit is a <see cref="StepFailedException"/>.</summary>
    public Task RunToolAsync(string tool, IReadOnlyList<string> arguments, Stdout stdout, CancellationToken cancellationToken) =>
        RunAsync("dotnet", ToolRun(tool, arguments), stdout, cancellationToken);

    /// <summary>Runs qus-<paramref name="tool"/> and returns the step outputs it wrote.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ToolOutputsAsync(
        string tool, IReadOnlyList<string> arguments, Stdout stdout, CancellationToken cancellationToken)
    {
        var file = Path.GetTempFileName();
        try
        {
            await RunAsync("dotnet", ToolRun(tool, arguments), stdout, cancellationToken, new() { ["GITHUB_OUTPUT"] = file });
            return StepOutputs.Read(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // qus-TOOL through the local tool manifest, as `dotnet tool run` names it.
    private static IReadOnlyList<string> ToolRun(string tool, IReadOnlyList<string> arguments) => ["tool", "run", $"qus-{tool}", "--", .. arguments];

    /// <summary>
    /// Runs <paramref name="command"/> from the repository root, its stderr into ours; returns its standard output
    /// when <paramref name="stdout"/> is null. A non-zero exit is a <see cref="StepFailedException"/>.
    /// </summary>
    public async Task<string> RunAsync(
        string command, IReadOnlyList<string> arguments, Stdout? stdout, CancellationToken cancellationToken,
        Dictionary<string, string?>? environment = null, string? stderrFile = null)
    {
        var captured = new System.Text.StringBuilder();
        await using var stderr = Console.OpenStandardError();
        await using var log = stderrFile is null ? null : File.Create(stderrFile);
        var result = await Cli.Wrap(command).WithArguments(arguments).WithWorkingDirectory(root)
            .WithEnvironmentVariables(environment ?? [])
            .WithStandardOutputPipe(stdout switch
            {
                Stdout.ToStderr => PipeTarget.ToStream(stderr),
                Stdout.Discard => PipeTarget.Null,
                _ => PipeTarget.ToStringBuilder(captured),
            })
            .WithStandardErrorPipe(log is null ? PipeTarget.ToStream(stderr) : PipeTarget.ToStream(log))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        return result.ExitCode == 0 ? captured.ToString() : throw new StepFailedException(result.ExitCode, captured.ToString());
    }
}
