using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A loopback stand-in of GitHub's release downloads (<c>/download/TAG/NAME</c>) serving a release folder as it is,
/// or as <see cref="StartAsync"/>'s <c>alter</c> changes a file (null: the file is missing, 404).
/// </summary>
public sealed class ReleaseServer : IAsyncDisposable
{
    private readonly LoopbackServer server;

    private ReleaseServer(LoopbackServer server, ConcurrentQueue<string> requests)
    {
        this.server = server;
        Requests = requests;
    }

    /// <summary>The releases URL (what <c>https://github.com/OWNER/NAME/releases</c> is), without a trailing slash.</summary>
    public string BaseAddress => server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Every request path, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; }

    /// <summary>Serves <paramref name="release"/>'s files under <c>/download/<paramref name="tag"/>/</c>.</summary>
    public static async Task<ReleaseServer> StartAsync(string release, string tag, Func<string, byte[], byte[]?>? alter = null)
    {
        var requests = new ConcurrentQueue<string>();
        var prefix = $"/download/{tag}/";
        var server = await LoopbackServer.StartAsync(async context =>
        {
            var path = context.Request.Path.Value!;
            requests.Enqueue(path);
            var name = path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : "";
            var file = Path.Combine(release, name);
            var body = name.Length > 0 && !name.Contains('/') && File.Exists(file) ? await File.ReadAllBytesAsync(file) : null;
            if (body is not null && alter is not null)
            {
                body = alter(name, body);
            }

            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await context.Response.Body.WriteAsync(body);
        });
        return new ReleaseServer(server, requests);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();
}
