using System.Text.RegularExpressions;
using QemuUserStatic.Common;

namespace QemuUserStatic.Push;

/// <summary>What a skopeo run gave.</summary>
public sealed record SkopeoResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last non-empty line of stderr: skopeo's error message.</summary>
    public string Error => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>Runs skopeo (containers/skopeo, on GitHub's runners and in Debian) through <see cref="ExternalCommand"/>.</summary>
public sealed partial class Skopeo(string executable = "skopeo")
{
    /// <summary>Runs skopeo with <paramref name="arguments"/> (never secrets: they go through an auth file).</summary>
    public async Task<SkopeoResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // The auth file is a memfd named as /proc/PID/fd/N in the arguments: skopeo opens it through our /proc entry,
        // so nothing has to be inherited and the secret never is an argument.
        var result = await ExternalCommand.RunAsync(
            executable, arguments, installHint: "install skopeo: apt-get install skopeo", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SkopeoResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>
    /// True when a failed copy is worth another attempt: the registry answered 5xx or 429, or the connection
    /// failed (refused, reset, closed early, timed out). Authentication and missing-content errors are final.
    /// </summary>
    public static bool IsTransient(SkopeoResult result) => result.ExitCode != 0 && TransientPattern().IsMatch(result.StandardError);

    [GeneratedRegex(
        @"status:? 5\d\d|\b5\d\d (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)|429|toomanyrequests|" +
        @"connection refused|connection reset|broken pipe|\bEOF\b|i/o timeout|TLS handshake timeout|timeout awaiting|server misbehaving",
        RegexOptions.IgnoreCase)]
    private static partial Regex TransientPattern();
}
