using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A loopback HTTP proxy in front of a <see cref="LocalRegistry"/> that counts finished blob uploads and can inject
/// the faults a real network and registry show: HTTP 500 answers and dropped connections. Location headers are
/// rewritten so clients keep talking through it.
/// </summary>
public sealed class RegistryProxy : IAsyncDisposable
{
    private readonly HttpClient upstream;
    private readonly string upstreamBase;
    private LoopbackServer? server;
    private int blobUploads;
    private int failUploadStarts;
    private int dropManifestPuts;

    private RegistryProxy(string registry)
    {
        upstreamBase = $"http://{registry}";
        upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>HOST:PORT of the proxy.</summary>
    public string Address => server!.BaseAddress.Authority;

    /// <summary>Blob uploads the registry completed (201 to a PUT or POST carrying <c>digest=</c>).</summary>
    public int BlobUploads => Volatile.Read(ref blobUploads);

    /// <summary>Every request, METHOD PATH, for failure messages.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts a proxy for <paramref name="registry"/> (HOST:PORT).</summary>
    public static async Task<RegistryProxy> StartAsync(string registry)
    {
        var proxy = new RegistryProxy(registry);
        proxy.server = await LoopbackServer.StartAsync(proxy.HandleAsync);
        return proxy;
    }

    /// <summary>Answers the next <paramref name="count"/> blob upload starts (POST …/blobs/uploads/) with HTTP 500.</summary>
    public void FailUploadStarts(int count) => Volatile.Write(ref failUploadStarts, count);

    /// <summary>Drops the connection of the next <paramref name="count"/> manifest PUTs.</summary>
    public void DropManifestPuts(int count) => Volatile.Write(ref dropManifestPuts, count);

    /// <summary>Sets the upload count back to zero.</summary>
    public void ResetCount() => Volatile.Write(ref blobUploads, 0);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        Requests.Enqueue($"{method} {context.Request.Path}");
        if (method == "POST" && context.Request.Path.Value!.EndsWith("/blobs/uploads/", StringComparison.Ordinal) && Take(ref failUploadStarts))
        {
            context.Response.StatusCode = 500;
            return;
        }

        if (method == "PUT" && context.Request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal) && Take(ref dropManifestPuts))
        {
            context.Abort();
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), upstreamBase + pathAndQuery);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name is "Host" or "Transfer-Encoding" or "Connection")
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Connection")
            {
                continue;
            }

            context.Response.Headers[name] = name == "Location"
                ? values.Select(v => v.Replace(upstreamBase, $"http://{Address}", StringComparison.Ordinal)).ToArray()
                : values.ToArray();
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Created && context.Request.Query.ContainsKey("digest") &&
            context.Request.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref blobUploads);
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static bool Take(ref int budget)
    {
        for (var current = Volatile.Read(ref budget); current > 0; current = Volatile.Read(ref budget))
        {
            if (Interlocked.CompareExchange(ref budget, current - 1, current) == current)
            {
                return true;
            }
        }

        return false;
    }
}
