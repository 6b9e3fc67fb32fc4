using QemuUserStatic.Cli;
using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch;
using QemuUserStatic.Manifests;
using QemuUserStatic.Net;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>The library's fetch pieces wired for in-process tests: no sleeping between retries, a private cache and log.</summary>
internal sealed class FetchHarness : IDisposable
{
    private readonly TempDir temp = new("qus-fetch");

    public FetchHarness()
    {
        Http = new HttpClient(new RetryingHttpHandler(Policy, new SocketsHttpHandler()));
        Reporter = TestReporter.To(Log);
        Downloader = new Downloader(Http, new DownloadCache(temp["cache"]), Reporter, Policy);
    }

    public static RetryPolicy Policy { get; } = new() { Delay = (_, _) => Task.CompletedTask, MaxAttempts = 4 };

    public HttpClient Http { get; }

    public StringWriter Log { get; } = new();

    public Reporter Reporter { get; }

    public Downloader Downloader { get; }

    public string Output => temp["out"];

    public string Cache => temp["cache"];

    public string this[string relative] => temp[relative];

    public IPackageRepository Source(FetchRequest request, PinLock? pins = null) => PackageRepositories.Create(request, Http, Downloader, pins);

    public Task<FetchedList> FetchAsync(FetchRequest request, IPackageVerifier? verifier = null, PinLock? pins = null, bool newestIfGone = false) =>
        new Fetcher(Source(request, pins), Downloader, verifier ?? PackageReaderVerifier.Instance, Reporter) { NewestIfGone = newestIfGone }
            .FetchAsync(request.Origin, request.RequireVersion(), request.Hosts, Output);

    public static FetchRequest Debian(DebianMirrorStandIn mirror, string version, params string[] hosts) => new(
        PackageOrigin.Debian, new QemuVersion(PackageOrigin.Debian, version, null), hosts,
        new DebianRepositoryConfig { Mirror = mirror.Mirror, Security = mirror.Security, Snapshot = mirror.Snapshot, Keyring = mirror.Keyring }, new KojiRepositoryConfig());

    public static FetchRequest Fedora(KojiStandIn koji, string version, string release, params string[] hosts) => new(
        PackageOrigin.Fedora, new QemuVersion(PackageOrigin.Fedora, version, release), hosts,
        new DebianRepositoryConfig(), new KojiRepositoryConfig { Hub = koji.Hub, TopUrl = koji.TopUrl });

    public void Dispose()
    {
        Http.Dispose();
        temp.Dispose();
    }
}
