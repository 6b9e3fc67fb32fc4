using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch.Debian;
using QemuUserStatic.Fetch.Koji;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch;

/// <summary>Creates the package repository a fetch request names.</summary>
internal static class PackageRepositories
{
    /// <summary>
    /// The Debian mirror or the Koji instance of <paramref name="request"/>; a Debian source takes a pinned version the
    /// mirror no longer lists from the snapshot archive as <paramref name="pins"/> locks it.
    /// </summary>
    public static IPackageRepository Create(FetchRequest request, HttpClient http, Downloader downloader, PinLock? pins = null) => request.Origin switch
    {
        PackageOrigin.Debian => new DebianRepository(downloader, request.Debian, pins),
        _ => new KojiRepository(new KojiClient(new XmlRpcClient(http, request.Koji.Hub)), request.Koji),
    };
}
