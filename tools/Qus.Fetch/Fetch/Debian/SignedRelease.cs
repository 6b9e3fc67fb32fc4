using System.Globalization;
using System.Text;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch.Debian;

/// <summary>
/// A suite's <c>dists/SUITE/InRelease</c>, its OpenPGP signature checked by <c>gpgv</c> against the archive keyring
/// (Debian's <c>/usr/share/keyrings/debian-archive-keyring.gpg</c>): the root of trust for the <c>Packages</c> indexes,
/// whose SHA256 and size it lists, and so for every .deb. Only the text gpgv vouches for is read; a release whose
/// <c>Valid-Until</c> has passed (a replayed old index) is refused.
/// </summary>
internal sealed class SignedRelease
{
    // What gpgv says when a signature does not vouch for the text, in its own words.
    private static readonly string[] Reasons = ["BAD signature", "Can't check signature", "no valid OpenPGP data", "no signature found", "not a detached signature"];

    private readonly Dictionary<string, (string Sha256, long Size)> files;

    private SignedRelease(Uri url, Dictionary<string, (string Sha256, long Size)> files, DateTimeOffset? date)
    {
        Url = url;
        this.files = files;
        Date = date;
    }

    /// <summary>The signed <c>Date</c>: when the archive published this state of the suite; null when absent.</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>Where it came from.</summary>
    public Uri Url { get; }

    /// <summary>The InRelease URL of a suite below a mirror.</summary>
    public static Uri UrlOf(Uri mirror, string suite) => UrlPath.Combine(mirror, $"dists/{suite}/InRelease");

    /// <summary>
    /// Downloads and verifies a suite's InRelease; null when the mirror has no such suite (404), which the caller
    /// decides about. A bad or missing signature, a release expired at <paramref name="validAt"/> (null: Valid-Until
    /// is not checked, for a mirror known to be a frozen copy) or a missing keyring are user errors.
    /// </summary>
    public static async Task<SignedRelease?> FetchAsync(
        Downloader downloader, Uri mirror, string suite, string keyring, DateTimeOffset? validAt, CancellationToken cancellationToken)
    {
        var url = UrlOf(mirror, suite);
        if (await downloader.GetIndexAsync(url, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        return await VerifyAsync(url, bytes, keyring, validAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the signature of InRelease <paramref name="bytes"/> and reads the signed text.</summary>
    public static async Task<SignedRelease> VerifyAsync(Uri url, byte[] bytes, string keyring, DateTimeOffset? validAt, CancellationToken cancellationToken)
    {
        if (!File.Exists(keyring))
        {
            throw new UserException(
                $"{keyring}: no such keyring to verify {Downloader.Describe(url)} (apt-get install debian-archive-keyring, or set debian.keyring in qus.yml)");
        }

        // gpgv reads the signed file on stdin and writes only the text the signature covers to stdout.
        var gpgv = await ExternalCommand.RunAsync(
            "gpgv", ["--keyring", Path.GetFullPath(keyring), "--output", "-"], Encoding.UTF8.GetString(bytes),
            installHint: "apt-get install gpgv", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (gpgv.ExitCode != 0)
        {
            var lines = gpgv.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var why = lines.FirstOrDefault(l => Reasons.Any(r => l.Contains(r, StringComparison.OrdinalIgnoreCase)))
                ?? lines.LastOrDefault() ?? $"gpgv exit {gpgv.ExitCode}";
            throw new UserException($"{Downloader.Describe(url)}: signature not valid for {Path.GetFileName(keyring)}: {why.Replace("gpgv: ", "", StringComparison.Ordinal)}");
        }

        return Parse(url, gpgv.StandardOutput, validAt);
    }

    /// <summary>Whether the suite has a file (e.g. <c>main/binary-arm64/Packages.xz</c>).</summary>
    public bool Lists(string path) => files.ContainsKey(path);

    /// <summary>Checks a file of the suite (e.g. <c>main/binary-arm64/Packages.xz</c>) against the signed list.</summary>
    public void Check(string path, byte[] bytes, Uri url)
    {
        if (!files.TryGetValue(path, out var listed))
        {
            throw new UserException($"{Downloader.Describe(url)}: not listed in the signed {Downloader.Describe(Url)}");
        }

        var sha256 = Sha256Hex.Of(bytes);
        if (listed.Size != bytes.LongLength || listed.Sha256 != sha256)
        {
            throw new UserException(
                $"{Downloader.Describe(url)}: {bytes.LongLength} bytes with sha256 {sha256} do not match the signed InRelease ({listed.Size} bytes, {listed.Sha256})");
        }
    }

    private static SignedRelease Parse(Uri url, string text, DateTimeOffset? validAt)
    {
        Deb822Stanza release;
        try
        {
            release = Deb822Stanza.Read(new StringReader(text)).FirstOrDefault() ?? throw new FormatException("empty");
        }
        catch (FormatException ex)
        {
            throw new UserException($"{Downloader.Describe(url)}: not a Release file ({ex.Message})");
        }

        if (DateField(release, "Valid-Until", url) is { } until && until < validAt)
        {
            throw new UserException($"{Downloader.Describe(url)}: expired on {until:yyyy-MM-dd HH:mm} UTC (Valid-Until): the mirror serves an old copy");
        }

        var files = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var line in (release["SHA256"] ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is [var hash, var size, var name] && hash.Length == 64 && long.TryParse(size, CultureInfo.InvariantCulture, out var length))
            {
                files[name] = (hash.ToLowerInvariant(), length);
            }
            else
            {
                throw new UserException($"{Downloader.Describe(url)}: SHA256 line '{line}' is not '<sha256> <size> <path>'");
            }
        }

        return files.Count > 0 ? new SignedRelease(url, files, DateField(release, "Date", url)) : throw new UserException($"{Downloader.Describe(url)}: lists no file with its SHA256");
    }

    private static DateTimeOffset? DateField(Deb822Stanza release, string field, Uri url)
    {
        if (release[field] is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text.Replace(" UTC", " +0000", StringComparison.Ordinal), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UserException($"{Downloader.Describe(url)}: {field} '{text}' is not a date");
    }
}
