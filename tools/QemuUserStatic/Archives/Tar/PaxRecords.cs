using System.Globalization;
using System.Text;

namespace QemuUserStatic.Archives.Tar;

/// <summary>
/// The records of a PAX extended header (<c>"%d %s=%s\n"</c>: length, key, value), POSIX pax(1). Only what a package
/// reader needs is kept: path, linkpath and size; GNU's sparse-file records are refused, as sparse entries are.
/// </summary>
internal static class PaxRecords
{
    /// <summary>The records of <paramref name="data"/>; a malformed one is an <see cref="InvalidDataException"/>.</summary>
    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> data, long offset)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != '\n')
            {
                throw new InvalidDataException($"tar entry at offset {offset} has a malformed PAX record");
            }

            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new InvalidDataException($"tar entry at offset {offset} has a PAX record without a key");
            }

            var key = Encoding.UTF8.GetString(record[..equals]);
            if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"tar entry at offset {offset} is a sparse file (PAX {key}), which packages do not use");
            }

            records[key] = Encoding.UTF8.GetString(record[(equals + 1)..]);
            data = data[length..];
        }

        return records;
    }
}
