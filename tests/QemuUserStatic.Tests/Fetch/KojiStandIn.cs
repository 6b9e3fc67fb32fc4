using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using QemuUserStatic.Common;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Fetch;

/// <summary>
/// A stand-in for Fedora's Koji on loopback: the hub's XML-RPC API at /kojihub (getBuild, listRPMs, getRPMChecksums,
/// getPackageID, listBuilds, answering in the shape Koji documents: structs with Koji's field names, &lt;nil/&gt; for
/// None, keyword arguments in a last struct with __starstar, fault 1000 for an unknown method) and the file tree
/// (packages/NAME/VERSION/RELEASE/ARCH/FILE as built, data/signed/SIGKEY/ARCH/FILE per signing key).
/// </summary>
public sealed class KojiStandIn : IAsyncDisposable
{
    private readonly List<Build> builds = [];
    private readonly List<Rpm> rpms = [];
    private LoopbackServer server = null!;

    private KojiStandIn()
    {
    }

    /// <summary>The hub's XML-RPC URL.</summary>
    public Uri Hub => new(server.BaseAddress, "kojihub");

    /// <summary>The file tree's URL.</summary>
    public Uri TopUrl => server.BaseAddress;

    /// <summary>The file tree (request log, faults).</summary>
    public StandInFiles Files { get; } = new();

    /// <summary>Every XML-RPC method called, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When false, getRPMChecksums is an unknown method (hubs before Koji 1.34).</summary>
    public bool SupportsChecksums { get; set; } = true;

    /// <summary>Starts the server.</summary>
    public static async Task<KojiStandIn> StartAsync()
    {
        var koji = new KojiStandIn();
        koji.server = await LoopbackServer.StartAsync(koji.HandleAsync);
        return koji;
    }

    /// <summary>Adds a build (no RPMs) and returns its ID.</summary>
    public long AddBuild(string version, string release, int state = 1, string package = "qemu")
    {
        var id = 2_000_000L + builds.Count + 1;
        builds.Add(new Build(id, package, version, release, state));
        return id;
    }

    /// <summary>
    /// Adds a built RPM to a build: the file as built at the top level and, with <paramref name="sigKey"/>, the signed
    /// copy <paramref name="signedCopy"/> (default: the same bytes) under data/signed/SIGKEY/ with its SHA-256 published.
    /// </summary>
    public void AddRpm(long buildId, string rpmPath, string? sigKey = "a15b79cc", string? signedCopy = null)
    {
        var build = builds.Single(b => b.Id == buildId);
        var fields = ToolProcess.ShellOrThrow($"rpm -qp --nosignature --qf '%{{NAME}}\\n%{{VERSION}}\\n%{{RELEASE}}\\n%{{ARCH}}\\n%{{SIGMD5}}\\n' '{rpmPath}'")
            .Split('\n');
        var (name, version, release, arch, sigmd5) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var file = $"{name}-{version}-{release}.{arch}.rpm";
        var folder = $"/packages/{build.Package}/{build.Version}/{build.Release}/";
        Files.Add(folder + $"{arch}/{file}", rpmPath);
        string? sha256 = null;
        if (sigKey is not null)
        {
            var signed = signedCopy ?? rpmPath;
            Files.Add(folder + $"data/signed/{sigKey}/{arch}/{file}", signed);
            sha256 = Sha256Hex.OfFile(signed);
        }

        rpms.Add(new Rpm(3_000_000L + rpms.Count + 1, buildId, name, version, release, arch, new FileInfo(rpmPath).Length, sigmd5, sigKey, sha256));
    }

    /// <summary>The file-tree path of an RPM: the signed copy when it has one.</summary>
    public string PathOf(string fileName)
    {
        var rpm = rpms.Single(r => $"{r.Name}-{r.Version}-{r.Release}.{r.Arch}.rpm" == fileName);
        var build = builds.Single(b => b.Id == rpm.BuildId);
        var folder = $"/packages/{build.Package}/{build.Version}/{build.Release}/";
        return rpm.SigKey is null || !SupportsChecksums ? folder + $"{rpm.Arch}/{fileName}" : folder + $"data/signed/{rpm.SigKey}/{rpm.Arch}/{fileName}";
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method == "POST" && context.Request.Path == "/kojihub")
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var call = XElement.Parse(await reader.ReadToEndAsync());
            var method = call.Element("methodName")!.Value;
            Calls.Enqueue(method);
            var parameters = call.Element("params")?.Elements("param").Select(p => p.Element("value")!).ToList() ?? [];
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(Answer(method, parameters));
            return;
        }

        if (!await Files.TryServeAsync(context))
        {
            context.Response.StatusCode = 404;
        }
    }

    private string Answer(string method, List<XElement> parameters)
    {
        var keywords = parameters.LastOrDefault() is { } last && Struct(last) is { } s && s.ContainsKey("__starstar") ? s : new Dictionary<string, XElement>();
        switch (method)
        {
            case "getBuild":
                var nvr = parameters[0].Value;
                var build = builds.FirstOrDefault(b => $"{b.Package}-{b.Version}-{b.Release}" == nvr);
                return Response(build is null ? "<nil/>" : BuildStruct(build));
            case "listRPMs":
                var buildId = long.Parse(keywords["buildID"].Value, CultureInfo.InvariantCulture);
                var arches = keywords["arches"].Descendants("string").Select(e => e.Value).ToList();
                var list = rpms.Where(r => r.BuildId == buildId && arches.Contains(r.Arch)).Select(RpmStruct);
                return Response($"<array><data>{string.Concat(list.Select(v => $"<value>{v}</value>"))}</data></array>");
            case "getRPMChecksums" when SupportsChecksums:
                var rpm = rpms.Single(r => r.Id == long.Parse(parameters[0].Value, CultureInfo.InvariantCulture));
                return Response(rpm.SigKey is null
                    ? "<struct></struct>"
                    : $"<struct><member><name>{rpm.SigKey}</name><value><struct><member><name>sha256</name><value><string>{rpm.Sha256}</string></value></member></struct></value></member></struct>");
            case "getPackageID":
                return Response(parameters[0].Value == "qemu" ? "<int>1</int>" : "<nil/>");
            case "listBuilds":
                var state = keywords.TryGetValue("state", out var st) ? int.Parse(st.Value, CultureInfo.InvariantCulture) : -1;
                var matching = builds.Where(b => state < 0 || b.State == state).Select(BuildStruct);
                return Response($"<array><data>{string.Concat(matching.Select(v => $"<value>{v}</value>"))}</data></array>");
            default:
                return $"<?xml version='1.0'?>\n<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1000</int></value></member><member><name>faultString</name><value><string>Invalid method: {SecurityElement.Escape(method)}</string></value></member></struct></value></fault></methodResponse>";
        }
    }

    private static Dictionary<string, XElement>? Struct(XElement value) =>
        value.Element("struct")?.Elements("member").ToDictionary(m => m.Element("name")!.Value, m => m.Element("value")!);

    private static string Response(string value) =>
        $"<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>{value}</value>\n</param>\n</params>\n</methodResponse>\n";

    private static string Member(string name, string value) => $"<member><name>{name}</name><value>{value}</value></member>";

    private static string Str(string value) => $"<string>{SecurityElement.Escape(value)}</string>";

    // The fields of a real getBuild answer (koji.fedoraproject.org), values made up for the stand-in.
    private static string BuildStruct(Build b) => "<struct>" +
        Member("build_id", $"<int>{b.Id}</int>") + Member("id", $"<int>{b.Id}</int>") + Member("name", Str(b.Package)) +
        Member("package_id", "<int>1</int>") + Member("package_name", Str(b.Package)) + Member("version", Str(b.Version)) +
        Member("release", Str(b.Release)) + Member("epoch", "<int>2</int>") + Member("nvr", Str($"{b.Package}-{b.Version}-{b.Release}")) +
        Member("state", $"<int>{b.State}</int>") + Member("task_id", "<int>98765432</int>") + Member("owner_id", "<int>42</int>") +
        Member("owner_name", Str("packager")) + Member("volume_id", "<int>0</int>") + Member("volume_name", Str("DEFAULT")) +
        Member("creation_time", Str("2023-11-14 22:13:20.000000+00:00")) + Member("creation_ts", "<double>1700000000.0</double>") +
        Member("completion_time", Str("2023-11-14 23:13:20.000000+00:00")) + Member("completion_ts", "<double>1700003600.0</double>") +
        Member("source", Str("git+https://src.fedoraproject.org/rpms/qemu.git#0123456789abcdef")) + Member("extra", "<nil/>") +
        Member("cg_id", "<nil/>") + Member("cg_name", "<nil/>") + Member("draft", "<boolean>0</boolean>") + "</struct>";

    private static string RpmStruct(Rpm r) => "<struct>" +
        Member("id", $"<int>{r.Id}</int>") + Member("name", Str(r.Name)) + Member("version", Str(r.Version)) +
        Member("release", Str(r.Release)) + Member("arch", Str(r.Arch)) + Member("epoch", "<int>2</int>") +
        Member("payloadhash", Str(r.PayloadHash)) + Member("size", $"<i8>{r.Size}</i8>") + Member("buildtime", "<int>1700000000</int>") +
        Member("build_id", $"<int>{r.BuildId}</int>") + Member("buildroot_id", "<int>55555555</int>") +
        Member("external_repo_id", "<int>0</int>") + Member("external_repo_name", Str("INTERNAL")) +
        Member("metadata_only", "<boolean>0</boolean>") + Member("extra", "<nil/>") + Member("draft", "<boolean>0</boolean>") + "</struct>";

    private sealed record Build(long Id, string Package, string Version, string Release, int State);

    private sealed record Rpm(long Id, long BuildId, string Name, string Version, string Release, string Arch, long Size, string PayloadHash, string? SigKey, string? Sha256);
}
