using Qus.Pipeline;
using QemuUserStatic.Cli;

// tools/run-pipeline's program (the script builds and starts it): the whole pipeline on this machine.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The tools, in this process group, get the Ctrl-C too and stop; the run then ends at the step that failed.
    e.Cancel = true;
    cancellation.Cancel();
};

var root = Repository.Root();
PipelineOptions options;
try
{
    options = PipelineOptions.Parse(args, root, Environment.GetEnvironmentVariable);
}
catch (UserException bad)
{
    Console.Error.WriteLine(LogText.Terminal($"{PipelineOptions.Name}: {bad.Message}"));
    return bad.ExitCode;
}

if (options.Help)
{
    Console.Write(PipelineOptions.Usage);
    return ExitCodes.Success;
}

await Prerequisites.InstallDebianPackagesAsync(cancellation.Token);
var engine = options.Engine != TestEngine.Auto ? options.Engine
    : await Commands.OutputAsync("docker", ["info"], cancellation.Token) is not null ? TestEngine.Docker : TestEngine.Sandbox;
if (Prerequisites.Missing(options, engine) is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"{PipelineOptions.Name}: missing: {string.Join(", ", missing)}");
    return ExitCodes.Usage;
}

var run = new PipelineRun(root, options, engine);
try
{
    await run.RunAsync(cancellation.Token);
    return ExitCodes.Success;
}
catch (Exception failure) when (failure is StepFailedException || ToolApp.Describe(failure) is not null)
{
    if (ToolApp.Describe(failure) is { } problem)
    {
        Console.Error.WriteLine(LogText.Terminal($"{PipelineOptions.Name}: {problem.Message}"));
    }

    Console.Error.WriteLine($"{PipelineOptions.Name}: failed in step: {run.Step}");
    return failure is StepFailedException step ? step.ExitCode : ToolApp.Describe(failure)!.ExitCode;
}
