using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// A stand-in for GitHub's REST API for releases (this machine cannot reach GitHub), on two loopback listeners:
/// the API host and an upload host that the releases' <c>upload_url</c> templates point to under another name
/// (<c>localhost</c>, another port), as <c>uploads.github.com</c> is another host than <c>api.github.com</c>.
/// It follows the documented behaviour of what qus-publish uses: get release by tag (published only; 404
/// otherwise), list releases (drafts too), create (201; 422 already_exists for a published tag), get by id,
/// list assets with <c>Link</c> pagination, get/download an asset (302 to storage), delete an asset, upload
/// (422 already_exists for a taken name; an asset in state <c>starter</c> until its body arrived whole; <c>digest</c>),
/// bad credentials (401). Faults are injected per rule: 502, a dropped connection mid-upload, rate limits.
/// </summary>
public sealed partial class FakeGitHub : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly Lock gate = new();
    private readonly List<FakeRelease> releases = [];
    private readonly List<FaultRule> faults = [];
    private readonly List<string> log = [];
    private readonly Dictionary<string, int> completedUploads = new(StringComparer.Ordinal);
    private LoopbackServer? api;
    private LoopbackServer? uploads;
    private long nextId = 1000;

    private FakeGitHub(string repository, string token)
    {
        Repository = repository;
        Token = token;
    }

    /// <summary>The one repository that exists, OWNER/NAME.</summary>
    public string Repository { get; }

    /// <summary>The token the server accepts.</summary>
    public string Token { get; }

    /// <summary>Whether assets carry GitHub's <c>digest</c> (github.com since 2025); false acts like an older server.</summary>
    public bool ServesDigest { get; set; } = true;

    /// <summary>The largest page the server gives (GitHub: 100); lower it to make clients follow <c>Link</c>s.</summary>
    public int MaxPerPage { get; set; } = 100;

    /// <summary>The Retry-After, in seconds, of <see cref="Fault.SecondaryRateLimit"/>.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>The API root to give qus-publish's <c>--api-url</c>.</summary>
    public Uri ApiUrl => api!.BaseAddress;

    /// <summary>The upload host's root as the releases' upload_url names it.</summary>
    public Uri UploadUrl => new($"http://localhost:{uploads!.BaseAddress.Port}/");

    /// <summary>Every request seen: "HOST METHOD /path?query", HOST being api, uploads or storage.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. log];
            }
        }
    }

    /// <summary>Uploads that completed, by asset name, over the server's life (a half-done one does not count).</summary>
    public IReadOnlyDictionary<string, int> CompletedUploads
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, int>(completedUploads);
            }
        }
    }

    /// <summary>Starts both listeners.</summary>
    public static async Task<FakeGitHub> StartAsync(string repository = "octo-org/qemu-user-static", string token = "ghp_FAKE")
    {
        var fake = new FakeGitHub(repository, token);
        fake.api = await LoopbackServer.StartAsync(fake.ServeApiAsync);
        fake.uploads = await LoopbackServer.StartAsync(fake.ServeUploadsAsync);
        return fake;
    }

    /// <summary>Makes the next <paramref name="times"/> uploads of <paramref name="assetName"/> fail with <paramref name="fault"/>.</summary>
    public void FailUpload(string assetName, Fault fault, int times = 1) =>
        AddFault(new FaultRule(r => r.Method == "POST" && r.Query["name"] == assetName, fault, times));

    /// <summary>Makes the next <paramref name="times"/> API requests whose path ends with <paramref name="pathEnd"/> fail.</summary>
    public void FailApi(string method, string pathEnd, Fault fault, int times = 1) =>
        AddFault(new FaultRule(r => r.Method == method && r.Path.Value!.EndsWith(pathEnd, StringComparison.Ordinal), fault, times));

    /// <summary>Removes every fault rule still armed.</summary>
    public void ClearFaults()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The release with <paramref name="tag"/> (drafts too), or null.</summary>
    public FakeRelease? Release(string tag)
    {
        lock (gate)
        {
            return releases.SingleOrDefault(r => r.Tag == tag);
        }
    }

    /// <summary>Every release, in creation order.</summary>
    public IReadOnlyList<FakeRelease> Releases
    {
        get
        {
            lock (gate)
            {
                return [.. releases];
            }
        }
    }

    /// <summary>Puts an asset on a release directly, as an earlier client would have (e.g. a <c>starter</c> one).</summary>
    public void Seed(string tag, string name, byte[] data, string state = "uploaded")
    {
        lock (gate)
        {
            var release = releases.Single(r => r.Tag == tag);
            release.Assets.Add(new FakeAsset(++nextId, name, "application/octet-stream") { State = state, Data = data });
        }
    }

    /// <summary>Creates a release directly (published unless <paramref name="draft"/>).</summary>
    public FakeRelease SeedRelease(string tag, bool draft = false)
    {
        lock (gate)
        {
            var release = new FakeRelease(++nextId, tag) { Draft = draft, Name = tag };
            releases.Add(release);
            return release;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (uploads is not null)
        {
            await uploads.DisposeAsync();
        }
    }

    private void AddFault(FaultRule rule)
    {
        lock (gate)
        {
            faults.Add(rule);
        }
    }

    private FaultRule? TakeFault(HttpRequest request)
    {
        lock (gate)
        {
            var rule = faults.FirstOrDefault(f => f.Remaining > 0 && f.Matches(request));
            if (rule is not null)
            {
                rule.Remaining--;
            }

            return rule;
        }
    }

    private void Log(string host, HttpRequest request)
    {
        lock (gate)
        {
            log.Add($"{host} {request.Method} {request.Path}{request.QueryString}");
        }
    }

    private async Task ServeApiAsync(HttpContext context)
    {
        var request = context.Request;
        Log("api", request);
        if (!Authorized(request))
        {
            await Error(context, 401, "Bad credentials");
            return;
        }

        switch (TakeFault(request)?.Fault)
        {
            case Fault.DropAnswer:
                // Do the work, then lose the answer: the client cannot tell whether it happened.
                context.Response.Body = Stream.Null;
                await RouteApiAsync(context);
                context.Abort();
                return;
            case { } fault:
                await ApplyAsync(context, fault, null);
                return;
            default:
                await RouteApiAsync(context);
                return;
        }
    }

    private async Task RouteApiAsync(HttpContext context)
    {
        // repos/{owner}/{repo}/releases[/...]
        var request = context.Request;
        var parts = request.Path.Value!.Trim('/').Split('/');
        if (parts.Length >= 4 && parts[0] == "repos" && $"{parts[1]}/{parts[2]}" == Repository && parts[3] == "pulls")
        {
            await RoutePullsAsync(context, parts[4..]);
            return;
        }

        if (parts.Length < 4 || parts[0] != "repos" || $"{parts[1]}/{parts[2]}" != Repository || parts[3] != "releases")
        {
            await Error(context, 404, "Not Found");
            return;
        }

        var rest = parts[4..];
        switch (request.Method, rest)
        {
            case ("GET", []):
                await Page(context, Snapshot(() => releases.AsEnumerable().Reverse().Select(ReleaseJson).ToList()));
                break;
            case ("POST", []):
                await CreateReleaseAsync(context);
                break;
            case ("GET", ["tags", var tag]):
                await Reply(context, 200, Snapshot(() => releases.FirstOrDefault(r => r.Tag == tag && !r.Draft) is { } r ? ReleaseJson(r) : null));
                break;
            case ("GET", ["assets", var assetId]):
                await GetAssetAsync(context, long.Parse(assetId, CultureInfo.InvariantCulture));
                break;
            case ("DELETE", ["assets", var assetId]):
                var deleted = Snapshot(() => releases.Any(r => r.Assets.RemoveAll(a => a.Id == long.Parse(assetId, CultureInfo.InvariantCulture)) > 0));
                context.Response.StatusCode = deleted ? 204 : 404;
                break;
            case ("GET", [var releaseId]):
                await Reply(context, 200, Snapshot(() => Find(releaseId) is { } r ? ReleaseJson(r) : null));
                break;
            case ("GET", [var releaseId, "assets"]):
                var assets = Snapshot(() => Find(releaseId)?.Assets.Select(AssetJson).ToList());
                if (assets is null)
                {
                    await Error(context, 404, "Not Found");
                }
                else
                {
                    await Page(context, assets);
                }

                break;
            default:
                await Error(context, 404, "Not Found");
                break;
        }
    }

    private async Task CreateReleaseAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var tag = (string?)body["tag_name"];
        if (string.IsNullOrEmpty(tag))
        {
            await Validation(context, "Release", "missing_field", "tag_name");
            return;
        }

        FakeRelease? created;
        lock (gate)
        {
            // Drafts do not hold the tag; a published release does.
            created = releases.Any(r => r.Tag == tag && !r.Draft) ? null : new FakeRelease(++nextId, tag)
            {
                Name = (string?)body["name"] ?? tag,
                Body = (string?)body["body"] ?? "",
                Draft = (bool?)body["draft"] ?? false,
                Prerelease = (bool?)body["prerelease"] ?? false,
                Target = (string?)body["target_commitish"] ?? "main",
            };
            if (created is not null)
            {
                releases.Add(created);
            }
        }

        if (created is null)
        {
            await Validation(context, "Release", "already_exists", "tag_name");
            return;
        }

        await Reply(context, 201, Snapshot(() => ReleaseJson(created)));
    }

    private async Task GetAssetAsync(HttpContext context, long assetId)
    {
        var asset = Snapshot(() => releases.SelectMany(r => r.Assets).FirstOrDefault(a => a.Id == assetId));
        if (asset is null)
        {
            await Error(context, 404, "Not Found");
        }
        else if (context.Request.Headers.Accept.ToString().Contains("application/octet-stream", StringComparison.Ordinal))
        {
            // GitHub redirects to its storage host; the client must follow (and drop its token there).
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(UploadUrl, $"storage/{assetId}").AbsoluteUri;
        }
        else
        {
            await Reply(context, 200, Snapshot(() => AssetJson(asset)));
        }
    }

    private async Task ServeUploadsAsync(HttpContext context)
    {
        var request = context.Request;
        var parts = request.Path.Value!.Trim('/').Split('/');
        if (request.Method == "GET" && parts is ["storage", var storedId])
        {
            Log("storage", request);
            await DownloadAsync(context, long.Parse(storedId, CultureInfo.InvariantCulture));
            return;
        }

        Log("uploads", request);
        if (!Authorized(request))
        {
            await Drain(request);
            await Error(context, 401, "Bad credentials");
            return;
        }

        var name = request.Query["name"].ToString();
        var release = parts is ["repos", var owner, var repo, "releases", var id, "assets"] && $"{owner}/{repo}" == Repository
            ? Snapshot(() => Find(id))
            : null;
        if (release is null || request.Method != "POST" || name.Length == 0)
        {
            await Drain(request);
            await Error(context, 404, "Not Found");
            return;
        }

        if (string.IsNullOrEmpty(request.ContentType) || request.ContentLength is not { } length)
        {
            await Drain(request);
            await Error(context, 400, "Content-Type and Content-Length are required");
            return;
        }

        FakeAsset? asset;
        lock (gate)
        {
            asset = release.Assets.Any(a => a.Name == name) ? null : new FakeAsset(++nextId, name, request.ContentType);
            if (asset is not null)
            {
                release.Assets.Add(asset);
            }
        }

        if (asset is null)
        {
            await Drain(request);
            await Validation(context, "ReleaseAsset", "already_exists", "name");
            return;
        }

        var fault = TakeFault(request)?.Fault;
        if (fault is { } failure and not Fault.DropAnswer)
        {
            await ApplyAsync(context, failure, (asset, length));
            return;
        }

        var data = new MemoryStream();
        await request.Body.CopyToAsync(data);
        if (data.Length != length)
        {
            Snapshot(() => release.Assets.Remove(asset));
            await Error(context, 400, "body shorter than Content-Length");
            return;
        }

        lock (gate)
        {
            asset.Data = data.ToArray();
            asset.State = "uploaded";
            completedUploads[name] = completedUploads.GetValueOrDefault(name) + 1;
        }

        if (fault == Fault.DropAnswer)
        {
            context.Abort();
            return;
        }

        await Reply(context, 201, Snapshot(() => AssetJson(asset)));
    }

    private async Task DownloadAsync(HttpContext context, long assetId)
    {
        var data = Snapshot(() => releases.SelectMany(r => r.Assets).FirstOrDefault(a => a.Id == assetId && a.State == "uploaded")?.Data);
        if (data is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = data.Length;
        await context.Response.Body.WriteAsync(data);
    }

    /// <summary>Carries out a fault: the request is answered with an error, or its connection dropped.</summary>
    private async Task ApplyAsync(HttpContext context, Fault fault, (FakeAsset Asset, long Length)? upload)
    {
        if (fault == Fault.DropMidUpload)
        {
            // Read about half of the body, then drop the connection: GitHub keeps the asset in state starter.
            var buffer = new byte[64 * 1024];
            for (long read = 0; read < (upload?.Length ?? 0) / 2;)
            {
                var n = await context.Request.Body.ReadAsync(buffer);
                read += n > 0 ? n : long.MaxValue / 2;
            }

            context.Abort();
            return;
        }

        await Drain(context.Request);
        if (upload is { } failed && fault != Fault.BadGatewayLeavingStarter)
        {
            Snapshot(() => releases.FirstOrDefault(r => r.Assets.Contains(failed.Asset))?.Assets.Remove(failed.Asset));
        }

        var headers = context.Response.Headers;
        switch (fault)
        {
            case Fault.SecondaryRateLimit:
                headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Error(context, 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
                break;
            case Fault.PrimaryRateLimit:
                headers["x-ratelimit-limit"] = "5000";
                headers["x-ratelimit-remaining"] = "0";
                headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                await Error(context, 403, "API rate limit exceeded for user ID 1.");
                break;
            default:
                await Error(context, 502, "Server Error");
                break;
        }
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header == $"token {Token}" || header == $"Token {Token}" || header == $"Bearer {Token}";
    }

    private FakeRelease? Find(string releaseId) =>
        long.TryParse(releaseId, CultureInfo.InvariantCulture, out var id) ? releases.FirstOrDefault(r => r.Id == id) : null;

    private T Snapshot<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private JsonObject ReleaseJson(FakeRelease release)
    {
        var api = $"{ApiUrl}repos/{Repository}/releases/{release.Id}";
        return new JsonObject
        {
            ["url"] = api,
            ["html_url"] = $"{ApiUrl}{Repository}/releases/tag/{release.Tag}",
            ["assets_url"] = api + "/assets",
            ["upload_url"] = $"{UploadUrl}repos/{Repository}/releases/{release.Id}/assets{{?name,label}}",
            ["tarball_url"] = $"{ApiUrl}repos/{Repository}/tarball/{release.Tag}",
            ["zipball_url"] = $"{ApiUrl}repos/{Repository}/zipball/{release.Tag}",
            ["id"] = release.Id,
            ["node_id"] = $"RE_{release.Id}",
            ["tag_name"] = release.Tag,
            ["target_commitish"] = release.Target,
            ["name"] = release.Name,
            ["body"] = release.Body,
            ["draft"] = release.Draft,
            ["prerelease"] = release.Prerelease,
            ["created_at"] = "2024-01-01T00:00:00Z",
            ["published_at"] = release.Draft ? null : "2024-01-01T00:00:00Z",
            ["author"] = new JsonObject { ["login"] = "octocat", ["id"] = 1 },
            ["assets"] = new JsonArray([.. release.Assets.Select(a => (JsonNode)AssetJson(a))]),
        };
    }

    private JsonObject AssetJson(FakeAsset asset) => new()
    {
        ["url"] = $"{ApiUrl}repos/{Repository}/releases/assets/{asset.Id}",
        ["browser_download_url"] = new Uri(UploadUrl, $"storage/{asset.Id}").AbsoluteUri,
        ["id"] = asset.Id,
        ["node_id"] = $"RA_{asset.Id}",
        ["name"] = asset.Name,
        ["label"] = "",
        ["state"] = asset.State,
        ["content_type"] = asset.ContentType,
        ["size"] = asset.Data.Length,
        ["digest"] = ServesDigest && asset.State == "uploaded" ? "sha256:" + asset.Sha256 : null,
        ["download_count"] = 0,
        ["created_at"] = "2024-01-01T00:00:00Z",
        ["updated_at"] = "2024-01-01T00:00:00Z",
        ["uploader"] = new JsonObject { ["login"] = "octocat", ["id"] = 1 },
    };

    /// <summary>One page of <paramref name="items"/> as GitHub pages lists: per_page (default 30), page, and a Link header.</summary>
    private async Task Page(HttpContext context, IReadOnlyList<JsonObject> items)
    {
        var query = context.Request.Query;
        var perPage = Math.Clamp(int.TryParse(query["per_page"], out var p) ? p : 30, 1, Math.Min(100, MaxPerPage));
        var page = Math.Max(1, int.TryParse(query["page"], out var n) ? n : 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var links = new List<string>();
        string Link(int target, string rel) =>
            $"<{ApiUrl}{context.Request.Path.Value!.TrimStart('/')}?per_page={perPage}&page={target}>; rel=\"{rel}\"";
        if (page < last)
        {
            links.Add(Link(page + 1, "next"));
            links.Add(Link(last, "last"));
        }

        if (page > 1)
        {
            links.Add(Link(1, "first"));
            links.Add(Link(page - 1, "prev"));
        }

        if (links.Count > 0)
        {
            context.Response.Headers.Link = string.Join(", ", links);
        }

        await Reply(context, 200, new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage).Select(i => (JsonNode)i.DeepClone())]));
    }

    private static async Task Reply(HttpContext context, int status, JsonNode? body)
    {
        if (body is null)
        {
            await Error(context, 404, "Not Found");
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(Json));
    }

    private static Task Error(HttpContext context, int status, string message) =>
        Reply(context, status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" });

    private static Task Validation(HttpContext context, string resource, string code, string field) => Reply(context, 422, new JsonObject
    {
        ["message"] = "Validation Failed",
        ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }),
        ["documentation_url"] = "https://docs.github.com/rest",
    });

    private static Task Drain(HttpRequest request) => request.Body.CopyToAsync(Stream.Null);

    private sealed class FaultRule(Func<HttpRequest, bool> matches, Fault fault, int times)
    {
        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = times;

        public bool Matches(HttpRequest request) => matches(request);
    }
}

/// <summary>Faults <see cref="FakeGitHub"/> injects.</summary>
public enum Fault
{
    /// <summary>502 Bad Gateway, nothing stored.</summary>
    BadGateway,

    /// <summary>502 Bad Gateway on an upload, the asset left in state starter (documented: "may leave an empty asset").</summary>
    BadGatewayLeavingStarter,

    /// <summary>Read about half of an upload's body, then drop the connection (the asset stays in state starter); other requests are dropped at once.</summary>
    DropMidUpload,

    /// <summary>Carry the request out, then drop the connection before answering: done, but the client cannot know.</summary>
    DropAnswer,

    /// <summary>403 with Retry-After (<see cref="FakeGitHub.RetryAfterSeconds"/>) and GitHub's secondary rate limit message.</summary>
    SecondaryRateLimit,

    /// <summary>403 with x-ratelimit-remaining: 0 and x-ratelimit-reset one second ahead.</summary>
    PrimaryRateLimit,
}

/// <summary>A release held by <see cref="FakeGitHub"/>.</summary>
public sealed class FakeRelease(long id, string tag)
{
    /// <summary>Release id.</summary>
    public long Id { get; } = id;

    /// <summary>Tag name.</summary>
    public string Tag { get; } = tag;

    /// <summary>Title.</summary>
    public string Name { get; init; } = "";

    /// <summary>Markdown body.</summary>
    public string Body { get; init; } = "";

    /// <summary>Draft flag.</summary>
    public bool Draft { get; init; }

    /// <summary>Pre-release flag.</summary>
    public bool Prerelease { get; init; }

    /// <summary>target_commitish.</summary>
    public string Target { get; init; } = "main";

    /// <summary>Its assets (guarded by the server's lock; read them through a finished run).</summary>
    public List<FakeAsset> Assets { get; } = [];
}

/// <summary>A release asset held by <see cref="FakeGitHub"/>.</summary>
public sealed class FakeAsset(long id, string name, string contentType)
{
    /// <summary>Asset id.</summary>
    public long Id { get; } = id;

    /// <summary>File name.</summary>
    public string Name { get; } = name;

    /// <summary>Content-Type it was uploaded with.</summary>
    public string ContentType { get; } = contentType;

    /// <summary>starter until the body arrived whole, then uploaded.</summary>
    public string State { get; set; } = "starter";

    /// <summary>The stored bytes (empty while starter).</summary>
    public byte[] Data
    {
        get;
        set
        {
            field = value;
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(value));
        }
    } = [];

    /// <summary>SHA-256 of <see cref="Data"/>, lower-case hex.</summary>
    public string Sha256 { get; private set; } = Convert.ToHexStringLower(SHA256.HashData([]));
}
