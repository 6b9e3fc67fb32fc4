using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch;

/// <summary>
/// Downloads files into the <see cref="DownloadCache"/>: a file already cached (and still matching its checksum) is
/// not downloaded again; an interrupted download resumes from its <c>.partial</c> file with an HTTP Range request;
/// every file is checked against the size and SHA-256 its source publishes before it enters the cache.
/// Errors name the URL and the problem in one line.
/// </summary>
internal sealed class Downloader(HttpClient http, DownloadCache cache, Reporter reporter, RetryPolicy policy)
{
    private const int BufferSize = 1 << 20;

    /// <summary>How long a download may receive nothing before it counts as a dropped connection.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The cache this downloader fills.</summary>
    public DownloadCache Cache => cache;

    /// <summary>Where this downloader's notes go (sources use it for theirs).</summary>
    public Reporter Reporter => reporter;

    /// <summary>The path of the verified file in the cache, downloading it when it is not there yet.</summary>
    public async Task<string> GetAsync(RemoteFile file, CancellationToken cancellationToken = default)
    {
        var entry = cache.Entry(file);
        if (File.Exists(entry))
        {
            if (await MismatchAsync(file, entry, cancellationToken).ConfigureAwait(false) is null)
            {
                return entry;
            }

            reporter.Line($"{file.FileName}: the cached copy no longer matches its checksum; downloading it again");
            File.Delete(entry);
        }

        var partial = cache.Partial(file);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        var resumedOldPartial = File.Exists(partial) && new FileInfo(partial).Length > 0;
        await DownloadAsync(file, partial, cancellationToken).ConfigureAwait(false);
        var problem = await MismatchAsync(file, partial, cancellationToken).ConfigureAwait(false);
        if (problem is not null && resumedOldPartial)
        {
            // The partial file may be left from another version of the file: start over once.
            File.Delete(partial);
            await DownloadAsync(file, partial, cancellationToken).ConfigureAwait(false);
            problem = await MismatchAsync(file, partial, cancellationToken).ConfigureAwait(false);
        }

        if (problem is not null)
        {
            File.Delete(partial);
            throw new DownloadMismatchException($"{Describe(file.Url)}: {problem}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
        File.Move(partial, entry, overwrite: true);
        return entry;
    }

    /// <summary>
    /// The bytes of a small index file (e.g. Debian's Packages.xz), asked for with the validators of the cached copy so
    /// that an unchanged index is not downloaded again (304); null when the server has no such file (404, 410).
    /// </summary>
    public async Task<byte[]?> GetIndexAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var path = cache.Index(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (File.Exists(path))
        {
            if (File.Exists(path + ".etag") && EntityTagHeaderValue.TryParse(await File.ReadAllTextAsync(path + ".etag", cancellationToken).ConfigureAwait(false), out var etag))
            {
                request.Headers.IfNoneMatch.Add(etag);
            }

            if (File.Exists(path + ".modified") &&
                DateTimeOffset.TryParse(await File.ReadAllTextAsync(path + ".modified", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture, DateTimeStyles.None, out var modified))
            {
                request.Headers.IfModifiedSince = modified;
            }
        }

        using var response = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified && File.Exists(path))
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }

        EnsureSuccess(response, url);
        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new UserException($"{Describe(url)}: download failed: {ex.GetBaseException().Message}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        await WriteValidatorAsync(path + ".etag", response.Headers.ETag?.ToString(), cancellationToken).ConfigureAwait(false);
        await WriteValidatorAsync(path + ".modified", response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Why <paramref name="path"/> is not the file the source published, or null when it matches.</summary>
    public static async Task<string?> MismatchAsync(RemoteFile file, string path, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        if (file.Size is { } expectedSize && size != expectedSize)
        {
            return $"size mismatch: the source publishes {expectedSize} bytes, got {size}";
        }

        if (file.Sha256 is { } expected)
        {
            var actual = await Sha256Hex.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                return $"SHA-256 mismatch: the source publishes {expected}, got {actual}";
            }
        }

        return null;
    }

    private async Task DownloadAsync(RemoteFile file, string partial, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (file.Size is { } size && have == size)
            {
                return;
            }

            if (file.Size is { } limit && have > limit)
            {
                File.Delete(partial);
                have = 0;
            }

            try
            {
                await DownloadOnceAsync(file, partial, have, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or StallException && !cancellationToken.IsCancellationRequested)
            {
                var got = File.Exists(partial) ? new FileInfo(partial).Length : 0;
                var why = ex is StallException ? $"no data for {StallTimeout.TotalSeconds:0} s" : ex.GetBaseException().Message;
                if (attempt >= policy.MaxAttempts)
                {
                    throw new UserException($"{Describe(file.Url)}: download failed after {attempt} attempts ({got} bytes received): {why}");
                }

                var wait = policy.BackoffBefore(attempt + 1);
                reporter.Line($"{file.FileName}: connection lost after {got} bytes ({why}); resuming in {wait.TotalSeconds:0.#} s");
                await policy.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadOnceAsync(RemoteFile file, string partial, long have, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await SendAsync(request, file.Url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is not a prefix of what the server has: start over.
            File.Delete(partial);
            throw new IOException("the server refused to resume (HTTP 416)");
        }

        EnsureSuccess(response, file.Url);
        var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent &&
                     response.Content.Headers.ContentRange?.From == have;
        var offset = append ? have : 0;
        var total = file.Size ?? (response.Content.Headers.ContentLength is { } length ? length + offset : null);

        await using var output = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[BufferSize];
        var received = offset;
        var lastReport = Environment.TickCount64;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            stall.CancelAfter(StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StallException();
            }

            if (read == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            received += read;
            if (Environment.TickCount64 - lastReport > 200)
            {
                lastReport = Environment.TickCount64;
                reporter.Progress($"{file.FileName}: {Megabytes(received)}{(total is { } t ? $" of {Megabytes(t)} ({received * 100 / Math.Max(1, t)} %)" : "")}");
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } announced && received - offset != announced)
        {
            throw new IOException($"the connection closed after {received - offset} of {announced} bytes");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UserException($"{Describe(url)}: {ex.GetBaseException().Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UserException($"{Describe(url)}: no answer ({ex.GetBaseException().Message})");
        }
    }

    private static void EnsureSuccess(HttpResponseMessage response, Uri url)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new UserException($"{Describe(url)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private static async Task WriteValidatorAsync(string path, string? value, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(value))
        {
            File.Delete(path);
        }
        else
        {
            await File.WriteAllTextAsync(path, value, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Scheme, host and path of a URL: query strings may carry tokens.</summary>
    public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);

    private sealed class StallException : Exception;
}
