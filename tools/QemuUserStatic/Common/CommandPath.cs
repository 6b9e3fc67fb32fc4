namespace QemuUserStatic.Common;

/// <summary>Whether a command is on PATH, asked before running it where its absence changes what a run does.</summary>
public static class CommandPath
{
    /// <summary>True when <paramref name="command"/> is an executable file in a folder of PATH.</summary>
    public static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, command))
            .Any(path => File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0));
}
