using System.Globalization;
using QemuUserStatic.Cli;
using QemuUserStatic.Packages;

namespace QemuUserStatic.Common;

/// <summary>
/// The reproducible-builds SOURCE_DATE_EPOCH convention: when the variable is set, it is the timestamp of
/// everything a build writes, in seconds since the epoch.
/// </summary>
public static class SourceDateEpoch
{
    /// <summary>The environment variable's name.</summary>
    public const string Variable = "SOURCE_DATE_EPOCH";

    /// <summary>The value of SOURCE_DATE_EPOCH, null when unset or empty; anything but a whole number is a usage error.</summary>
    public static long? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Parses a SOURCE_DATE_EPOCH value; null or blank is null, a time past what a tar header holds is a usage error.</summary>
    public static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new UserException($"{Variable} '{text}' is not a number of seconds since the epoch", ExitCodes.Usage);
        }

        return seconds <= PackageLimits.MaxTimestamp
            ? seconds
            : throw new UserException($"{Variable} {seconds} is past {PackageLimits.MaxTimestamp} (2242), the latest time a tar header holds", ExitCodes.Usage);
    }
}
