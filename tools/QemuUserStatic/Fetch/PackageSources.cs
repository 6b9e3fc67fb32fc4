using QemuUserStatic.Configuration;
using QemuUserStatic.Fetch.Debian;
using QemuUserStatic.Fetch.Koji;
using QemuUserStatic.Net;

namespace QemuUserStatic.Fetch;

/// <summary>Creates the package source a fetch request names.</summary>
public static class PackageSources
{
    /// <summary>
    /// The Debian mirror or the Koji instance of <paramref name="request"/>; a Debian source takes a pinned version the
    /// mirror no longer lists from the snapshot archive as <paramref name="pins"/> locks it.
    /// </summary>
    public static IPackageSource Create(FetchRequest request, HttpClient http, Downloader downloader, PinLock? pins = null) => request.Source switch
    {
        PackageSource.Debian => new DebianPackageSource(downloader, request.Debian, pins),
        _ => new KojiPackageSource(new KojiClient(new XmlRpcClient(http, request.Koji.Hub)), request.Koji),
    };
}
