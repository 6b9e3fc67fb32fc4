using QemuUserStatic.Cli;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch.Koji;

/// <summary>
/// The read-only calls of Koji's hub API that qus-fetch needs (anonymous XML-RPC; optional arguments are sent
/// the way Koji's own client does, as a last struct with <c>__starstar</c>).
/// </summary>
internal sealed class KojiClient(XmlRpcClient rpc)
{
    /// <summary>The hub's URL.</summary>
    public Uri Hub => rpc.Endpoint;

    /// <summary><c>getBuild(NVR)</c>: the build, or null when Koji has no build of that name.</summary>
    public async Task<KojiBuild?> GetBuildAsync(string nvr, CancellationToken cancellationToken = default) =>
        await CallAsync("getBuild", [nvr], cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            IReadOnlyDictionary<string, object?> build => Read("getBuild", () => KojiBuild.From(build)),
            var other => throw Unexpected("getBuild", other),
        };

    /// <summary><c>listRPMs(buildID=, arches=)</c>: the RPMs of a build for the given RPM arches.</summary>
    public async Task<IReadOnlyList<KojiRpm>> ListRpmsAsync(long buildId, IReadOnlyList<string> arches, CancellationToken cancellationToken = default)
    {
        var answer = await CallAsync("listRPMs", [Keywords(("buildID", buildId), ("arches", arches.ToList()))], cancellationToken).ConfigureAwait(false);
        return Structs("listRPMs", answer).Select(rpm => Read("listRPMs", () => KojiRpm.From(rpm))).ToList();
    }

    /// <summary>
    /// <c>getRPMChecksums(rpm_id, checksum_types=["sha256"])</c>: the SHA-256 of each signed copy, by signing key ID
    /// (the copy under <c>data/signed/KEY/</c>); empty when the RPM has no signed copy or the hub predates the call.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetSignedSha256Async(long rpmId, CancellationToken cancellationToken = default)
    {
        object? answer;
        try
        {
            answer = await CallAsync("getRPMChecksums", [rpmId, Keywords(("checksum_types", new List<object?> { "sha256" }))], cancellationToken).ConfigureAwait(false);
        }
        catch (XmlRpcFaultException fault) when (fault.Fault.Contains("Invalid method", StringComparison.OrdinalIgnoreCase))
        {
            return new Dictionary<string, string>();
        }

        if (answer is not IReadOnlyDictionary<string, object?> bySigKey)
        {
            throw Unexpected("getRPMChecksums", answer);
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sigKey, checksums) in bySigKey)
        {
            if (checksums is IReadOnlyDictionary<string, object?> types && types.GetValueOrDefault("sha256") is string sha256)
            {
                result[sigKey.ToLowerInvariant()] = sha256.ToLowerInvariant();
            }
        }

        return result;
    }

    /// <summary><c>getPackageID(name)</c>: the package's ID, or null when Koji does not know it.</summary>
    public async Task<long?> GetPackageIdAsync(string name, CancellationToken cancellationToken = default) =>
        await CallAsync("getPackageID", [name], cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            long id => id,
            var other => throw Unexpected("getPackageID", other),
        };

    /// <summary><c>listBuilds(packageID=, state=COMPLETE)</c>: every complete build of a package.</summary>
    public async Task<IReadOnlyList<KojiBuild>> ListCompleteBuildsAsync(long packageId, CancellationToken cancellationToken = default)
    {
        var answer = await CallAsync("listBuilds", [Keywords(("packageID", packageId), ("state", (long)KojiBuildState.Complete))], cancellationToken).ConfigureAwait(false);
        return Structs("listBuilds", answer).Select(build => Read("listBuilds", () => KojiBuild.From(build))).ToList();
    }

    private Task<object?> CallAsync(string method, IReadOnlyList<object?> parameters, CancellationToken cancellationToken) =>
        rpc.CallAsync(method, parameters, cancellationToken);

    // Koji's encode_args: keyword arguments travel as a last struct flagged with __starstar.
    private static Dictionary<string, object?> Keywords(params (string Name, object? Value)[] arguments)
    {
        var keywords = arguments.ToDictionary(a => a.Name, a => a.Value);
        keywords["__starstar"] = true;
        return keywords;
    }

    private IEnumerable<IReadOnlyDictionary<string, object?>> Structs(string method, object? answer) =>
        answer is IReadOnlyList<object?> items
            ? items.Select(item => item as IReadOnlyDictionary<string, object?> ?? throw Unexpected(method, item))
            : throw Unexpected(method, answer);

    private T Read<T>(string method, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            throw new UserException($"{Downloader.Describe(Hub)}: {method}: {ex.Message}");
        }
    }

    private UserException Unexpected(string method, object? answer) =>
        new($"{Downloader.Describe(Hub)}: {method}: unexpected answer ({answer?.GetType().Name ?? "nil"})");
}
