using System.Text;
using System.Text.RegularExpressions;
using QemuUserStatic.Cli;

namespace QemuUserStatic.Manifests;

/// <summary>
/// A <c>SHA256SUMS</c> file as <c>sha256sum</c> writes and <c>sha256sum -c</c> reads it: one
/// <c>&lt;64 hex&gt;  &lt;name&gt;</c> line per file (a <c>*</c> instead of the second space marks binary mode).
/// Written by qus-tarballs and qus-publish, read by qus-publish; the one place that knows the format.
/// </summary>
public sealed partial class Sha256Sums
{
    /// <summary>The file name in a tarballs output folder and on a release.</summary>
    public const string FileName = "SHA256SUMS";

    /// <summary>The largest file read: a release of every target lists about a hundred files, 100 bytes a line.</summary>
    public const long MaxFileSize = 1024 * 1024;

    private Sha256Sums(IReadOnlyDictionary<string, string> entries) => Entries = entries;

    /// <summary>File name → lower-case hex SHA-256.</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>Parses the text of a SHA256SUMS file; <paramref name="source"/> names it in errors.</summary>
    public static Sha256Sums Parse(string text, string source)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var match = Line().Match(line);
            if (!match.Success)
            {
                throw new UserException($"{source}: line {i + 1}: expected '<sha256>  <file name>'");
            }

            if (!entries.TryAdd(match.Groups["name"].Value, match.Groups["hash"].Value.ToLowerInvariant()))
            {
                throw new UserException($"{source}: line {i + 1}: {match.Groups["name"].Value} is listed twice");
            }
        }

        return new Sha256Sums(entries);
    }

    /// <summary>Reads and parses a SHA256SUMS file; anything but a regular file within <see cref="MaxFileSize"/> is a user error.</summary>
    public static Sha256Sums Load(string path)
    {
        Common.FileTypes.RequireRegularFile(path, FileName);
        using var file = Common.SizeLimitedFile.Open(path, MaxFileSize, "a " + FileName);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), path);
    }

    /// <summary>
    /// Refuses the file <paramref name="name"/> at <paramref name="path"/>, of SHA-256 <paramref name="sha256"/>, unless
    /// this lists it with that hash: a one-line user error naming the file.
    /// </summary>
    public void Require(string name, string path, string sha256)
    {
        if (!Entries.TryGetValue(name, out var listed))
        {
            throw new UserException($"{path}: not listed in {FileName}");
        }

        if (listed != sha256)
        {
            throw new UserException($"{path}: sha256 {sha256} does not match {FileName} ({listed})");
        }
    }

    /// <summary>The file text for <paramref name="entries"/> (name, sha256), sorted by name, text-mode separators.</summary>
    public static string Format(IEnumerable<(string Name, string Sha256)> entries) =>
        string.Concat(entries.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => $"{e.Sha256}  {e.Name}\n"));

    /// <summary>The file's UTF-8 bytes for the <paramref name="files"/> of a manifest, sorted by name.</summary>
    public static byte[] FormatBytes(IEnumerable<ManifestFile> files) =>
        Encoding.UTF8.GetBytes(Format(files.Select(f => (f.Name, f.Sha256))));

    [GeneratedRegex("^(?<hash>[0-9a-fA-F]{64}) [ *](?<name>.+)$")]
    private static partial Regex Line();
}
