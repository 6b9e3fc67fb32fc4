using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) for stand-ins of services this machine cannot reach.
/// The handler sees every request; <c>context.Abort()</c> drops the connection, as a faulty network would.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts a server that passes every request to <paramref name="handler"/>.</summary>
    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Urls.Single();
        return new LoopbackServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
