using Qus.Pipeline;
using QemuUserStatic.Cli;

// tools/run-pipeline's program (the script builds and starts it): the whole pipeline on this machine.
// SIGINT or SIGTERM stops the running step's program and its children (Tools: SIGTERM, killed after a grace period)
// and the run ends there; a repeated signal changes nothing, the grace period bounds the wait.
using var interruption = new Interruption();

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

PipelineRun? run = null;
try
{
    await Prerequisites.InstallDebianPackagesAsync(interruption.Token);
    var engine = options.Engine != TestEngine.Auto ? options.Engine
        : await Commands.OutputAsync("docker", ["info"], interruption.Token) is not null ? TestEngine.Docker : TestEngine.Sandbox;
    if (Prerequisites.Missing(options, engine) is { Count: > 0 } missing)
    {
        Console.Error.WriteLine($"{PipelineOptions.Name}: missing: {string.Join(", ", missing)}");
        return ExitCodes.Usage;
    }

    run = new PipelineRun(root, options, engine);
    await run.RunAsync(interruption.Token);
    return ExitCodes.Success;
}
catch (Exception) when (interruption.Signal is { } signal)
{
    // Whatever the step's program said, and however it ended, the signal is why the run stopped.
    Console.Error.WriteLine($"{PipelineOptions.Name}: interrupted by {signal} in step: {run?.Step ?? "start"}");
    return interruption.ExitCode;
}
catch (Exception failure) when (failure is StepFailedException || ToolApp.Describe(failure) is not null)
{
    if (ToolApp.Describe(failure) is { } problem)
    {
        Console.Error.WriteLine(LogText.Terminal($"{PipelineOptions.Name}: {problem.Message}"));
    }

    Console.Error.WriteLine($"{PipelineOptions.Name}: failed in step: {run?.Step ?? "start"}");
    return failure is StepFailedException step ? step.ExitCode : ToolApp.Describe(failure)!.ExitCode;
}
