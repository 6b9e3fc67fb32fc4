using System.Globalization;

namespace QemuUserStatic.Common;

/// <summary>Byte counts for people: <c>812 B</c>, <c>12.3 MB</c> (decimal units, as GitHub shows sizes).</summary>
internal static class ByteSize
{
    /// <summary>The size with one decimal in the largest unit that keeps it at 1 or more.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
