using System.Net;
using Microsoft.AspNetCore.Http;
using QemuUserStatic.Net;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Net;

[Category("Unit")]
public class RetryingHttpHandlerTests
{
    private static readonly RetryPolicy NoSleep = new() { Delay = (_, _) => Task.CompletedTask, MaxAttempts = 4 };

    [Test]
    public async Task Retries_server_errors_and_dropped_connections_then_succeeds()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            calls++;
            switch (calls)
            {
                case 1:
                    context.Response.StatusCode = 502;
                    break;
                case 2:
                    context.Abort();
                    break;
                default:
                    await context.Response.WriteAsync("ok");
                    break;
            }
        });
        var retries = new List<string>();
        using var client = new HttpClient(new RetryingHttpHandler(NoSleep, new SocketsHttpHandler()) { OnRetry = (why, _) => retries.Add(why) });

        var body = await client.GetStringAsync(new Uri(server.BaseAddress, "file?token=secret"));

        Assert.That(body, Is.EqualTo("ok"));
        Assert.That(calls, Is.EqualTo(3));
        Assert.That(retries, Has.Count.EqualTo(2));
        Assert.That(string.Join("\n", retries), Does.Not.Contain("secret"));
    }

    [Test]
    public async Task Honours_Retry_After_on_a_secondary_rate_limit()
    {
        var waits = new List<TimeSpan>();
        var policy = NoSleep with { Delay = (wait, _) => { waits.Add(wait); return Task.CompletedTask; } };
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (++calls == 1)
            {
                context.Response.StatusCode = 403;
                context.Response.Headers.RetryAfter = "7";
                return;
            }

            await context.Response.WriteAsync("ok");
        });
        using var client = new HttpClient(new RetryingHttpHandler(policy, new SocketsHttpHandler()));

        using var response = await client.GetAsync(server.BaseAddress);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(waits, Is.EqualTo(new[] { TimeSpan.FromSeconds(7) }));
    }

    [Test]
    public async Task Gives_up_after_the_bound_with_the_last_response()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            calls++;
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var client = new HttpClient(new RetryingHttpHandler(NoSleep, new SocketsHttpHandler()));

        using var response = await client.GetAsync(server.BaseAddress);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(calls, Is.EqualTo(NoSleep.MaxAttempts));
    }

    [Test]
    public async Task Does_not_retry_client_errors()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            calls++;
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        using var client = new HttpClient(new RetryingHttpHandler(NoSleep, new SocketsHttpHandler()));

        using var response = await client.GetAsync(server.BaseAddress);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(calls, Is.EqualTo(1));
    }
    [Test]
    public async Task A_stalled_attempt_times_out_and_is_retried_with_the_whole_body()
    {
        var calls = 0;
        var bodies = new List<int>();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (bodies)
            {
                bodies.Add((int)body.Length);
            }

            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await context.Response.WriteAsync("ok");
        });
        using var client = new HttpClient(new RetryingHttpHandler(NoSleep, new AttemptTimeoutHandler(TimeSpan.FromMilliseconds(300), new SocketsHttpHandler())));
        await using var data = new MemoryStream(new byte[100_000]);

        using var response = await client.PostAsync(server.BaseAddress, new ResendableStreamContent(data));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bodies, Is.EqualTo(new[] { 100_000, 100_000 }));
    }
}
