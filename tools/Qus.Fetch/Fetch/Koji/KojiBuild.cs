namespace QemuUserStatic.Fetch.Koji;

/// <summary>A build as Koji's <c>getBuild</c>/<c>listBuilds</c> describe it (the fields qus-fetch uses).</summary>
/// <param name="Id">The build ID.</param>
/// <param name="PackageName">The package (source RPM) name, e.g. qemu.</param>
/// <param name="Version">The RPM version.</param>
/// <param name="Release">The RPM release.</param>
/// <param name="State">Koji's build state (1 = COMPLETE).</param>
/// <param name="VolumeName">The storage volume; builds off the DEFAULT volume live under <c>vol/NAME/</c>.</param>
internal sealed record KojiBuild(long Id, string PackageName, string Version, string Release, KojiBuildState State, string? VolumeName)
{
    /// <summary>NAME-VERSION-RELEASE.</summary>
    public string Nvr => $"{PackageName}-{Version}-{Release}";

    /// <summary>The build's folder below topurl: <c>[vol/NAME/]packages/NAME/VERSION/RELEASE/</c>.</summary>
    public string RelativeFolder =>
        (VolumeName is null or "DEFAULT" ? "" : $"vol/{VolumeName}/") + $"packages/{PackageName}/{Version}/{Release}/";

    /// <summary>Reads a build struct.</summary>
    public static KojiBuild From(IReadOnlyDictionary<string, object?> build) => new(
        KojiFields.Long(build, "id"),
        KojiFields.String(build, "package_name"),
        KojiFields.String(build, "version"),
        KojiFields.String(build, "release"),
        (KojiBuildState)KojiFields.Long(build, "state"),
        build.GetValueOrDefault("volume_name") as string);
}
