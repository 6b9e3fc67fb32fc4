using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>A fault a stand-in server injects on the next request for a path.</summary>
public enum FileFault
{
    /// <summary>503 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>Announces the whole file, sends half of it, then drops the connection.</summary>
    DropHalfway,

    /// <summary>404 Not Found.</summary>
    NotFound,
}

/// <summary>
/// Static files of a stand-in server (a mirror's pool, Koji's file tree), served the way web servers do: GET with
/// Content-Length, byte ranges (206 + Content-Range) for resumed downloads, 404 for anything unknown; injected faults;
/// and a log of every request to count downloads.
/// </summary>
public sealed class StandInFiles
{
    private readonly ConcurrentDictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FileFault>> faults = new(StringComparer.Ordinal);

    /// <summary>Every request: method, path, Range header.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Range)> Requests { get; } = new();

    /// <summary>Serves <paramref name="diskPath"/> at <paramref name="urlPath"/> (starting with '/').</summary>
    public void Add(string urlPath, string diskPath) => files[urlPath] = diskPath;

    /// <summary>Queues a fault for the next request of <paramref name="urlPath"/>.</summary>
    public void Inject(string urlPath, FileFault fault) => faults.GetOrAdd(urlPath, _ => new()).Enqueue(fault);

    /// <summary>Requests whose path starts with <paramref name="prefix"/>.</summary>
    public int Count(string prefix) => Requests.Count(r => r.Path.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Answers a GET for a known path (or a fault); false when the path is not a file here.</summary>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "/");
        Requests.Enqueue((context.Request.Method, path, context.Request.Headers.Range.FirstOrDefault()));
        if (faults.TryGetValue(path, out var queue) && queue.TryDequeue(out var fault))
        {
            await FailAsync(context, fault, path);
            return true;
        }

        if (context.Request.Method != "GET" || !files.TryGetValue(path, out var disk))
        {
            return false;
        }

        var bytes = await File.ReadAllBytesAsync(disk);
        var start = 0L;
        if (context.Request.Headers.Range.FirstOrDefault() is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= bytes.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{bytes.Length}";
                return true;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }

        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentLength = bytes.Length - start;
        await context.Response.Body.WriteAsync(bytes.AsMemory((int)start));
        return true;
    }

    private async Task FailAsync(HttpContext context, FileFault fault, string path)
    {
        switch (fault)
        {
            case FileFault.ServiceUnavailable:
                context.Response.StatusCode = 503;
                break;
            case FileFault.NotFound:
                context.Response.StatusCode = 404;
                break;
            case FileFault.DropHalfway:
                var bytes = await File.ReadAllBytesAsync(files[path]);
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await context.Response.Body.FlushAsync();
                context.Abort();
                break;
        }
    }
}
