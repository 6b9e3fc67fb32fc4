using System.Diagnostics;

namespace QemuUserStatic.Tests.Support;

/// <summary>The outcome of running a tool or command.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs a built qus-* tool, or any command, as a real process and captures its output.</summary>
public static class ToolProcess
{
    private static readonly Lazy<string> NoConfiguration = new(() =>
    {
        // In the temporary folder, per user: the unit tier runs as users who cannot write the tree's .fixtures.
        var folder = Path.Combine(Path.GetTempPath(), $"qus-tests-{Environment.UserName}");
        var path = Path.Combine(folder, "no-configuration.yml");
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, "# Tests run the tools with built-in defaults unless they give a configuration.\n");
        return path;
    });

    /// <summary>Runs tools/<paramref name="project"/> (e.g. Qus.Tarballs) with <c>dotnet exec</c>.</summary>
    public static ProcessResult RunTool(
        string project, IEnumerable<string> args, IDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null) =>
        Run("dotnet", ["exec", Repo.ToolDll(project), .. args], environment, workingDirectory, timeout);

    /// <summary>Runs a command with arguments (no shell) and waits for it.</summary>
    public static ProcessResult Run(
        string fileName, IEnumerable<string> args, IDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null, string? standardInput = null)
    {
        var info = StartInfo(fileName, args, environment, workingDirectory);
        info.RedirectStandardInput = standardInput is not null;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts tools/<paramref name="project"/>, waits until <paramref name="ready"/> holds (checked every 20 ms) and
    /// kills it with SIGKILL, so that none of its own clean-up runs; false when the tool ended before.
    /// </summary>
    public static bool RunToolAndKill(
        string project, IEnumerable<string> args, Func<bool> ready, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo("dotnet", ["exec", Repo.ToolDll(project), .. args], environment, null))!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!process.HasExited && !ready())
        {
            if (DateTime.UtcNow > deadline)
            {
                process.Kill();
                throw new TimeoutException($"{project}: not ready in time");
            }

            Thread.Sleep(20);
        }

        if (process.HasExited)
        {
            return false;
        }

        process.Kill(); // SIGKILL, this process only
        process.WaitForExit();
        return true;
    }

    /// <summary>Runs <c>sh -c</c> with a script; for set-up steps that are shell by nature.</summary>
    public static ProcessResult Shell(string script, IDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        Run("sh", ["-c", script], environment, workingDirectory);

    /// <summary>Like <see cref="Shell"/> but fails the test set-up when the script fails.</summary>
    public static string ShellOrThrow(string script, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var result = Shell(script, environment, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"set-up command failed: {script}\n{result}");
        }

        return result.StandardOutput;
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, IDictionary<string, string?>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Tests must not inherit a CI runner's Actions files unless they set them on purpose.
        info.Environment.Remove("GITHUB_ACTIONS");
        info.Environment.Remove("GITHUB_OUTPUT");
        info.Environment.Remove("GITHUB_STEP_SUMMARY");
        // Nor the repository's own qus.yml, which a tool started in the test's folder would find upward: tools see
        // built-in defaults unless a test gives a configuration (--config, QUS_CONFIG, or a folder holding qus.yml).
        if (workingDirectory is null)
        {
            info.Environment["QUS_CONFIG"] = NoConfiguration.Value;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }
}
