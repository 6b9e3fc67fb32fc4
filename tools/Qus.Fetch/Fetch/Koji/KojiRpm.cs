namespace QemuUserStatic.Fetch.Koji;

/// <summary>An RPM of a build as Koji's <c>listRPMs</c> describes it (the fields qus-fetch uses).</summary>
/// <param name="Id">The RPM ID.</param>
/// <param name="Name">The RPM name, e.g. qemu-user-static-aarch64.</param>
/// <param name="Version">The version.</param>
/// <param name="Release">The release.</param>
/// <param name="Arch">The RPM arch (x86_64, aarch64, src, noarch).</param>
/// <param name="Size">The size of the RPM as built (unsigned copy).</param>
/// <param name="PayloadHash">MD5 of header and payload (rpm's SIGMD5), unchanged by signing.</param>
internal sealed record KojiRpm(long Id, string Name, string Version, string Release, string Arch, long Size, string PayloadHash)
{
    /// <summary>The file name: NAME-VERSION-RELEASE.ARCH.rpm.</summary>
    public string FileName => $"{Name}-{Version}-{Release}.{Arch}.rpm";

    /// <summary>Reads an RPM struct.</summary>
    public static KojiRpm From(IReadOnlyDictionary<string, object?> rpm) => new(
        KojiFields.Long(rpm, "id"),
        KojiFields.String(rpm, "name"),
        KojiFields.String(rpm, "version"),
        KojiFields.String(rpm, "release"),
        KojiFields.String(rpm, "arch"),
        KojiFields.Long(rpm, "size"),
        KojiFields.String(rpm, "payloadhash"));
}
