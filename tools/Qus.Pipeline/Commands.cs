using QemuUserStatic.Common;

namespace Qus.Pipeline;

/// <summary>Small questions to this machine's programs: what does a command print.</summary>
internal static class Commands
{
    /// <summary>The standard output of <paramref name="command"/>, or null when it is missing or fails.</summary>
    public static async Task<string?> OutputAsync(
        string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!CommandPath.Exists(command))
        {
            return null;
        }

        var result = await ExternalCommand.RunAsync(command, arguments, cancellationToken: cancellationToken, environment: environment);
        return result.Succeeded ? result.StandardOutput : null;
    }
}
