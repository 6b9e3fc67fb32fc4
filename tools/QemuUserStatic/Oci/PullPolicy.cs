namespace QemuUserStatic.Oci;

/// <summary>When a base image named by a registry reference is fetched again.</summary>
public enum PullPolicy
{
    /// <summary>Only when the cache does not hold the reference yet: a run is reproducible and offline after the first.</summary>
    Missing,

    /// <summary>Resolve the tag on the registry every run (blobs already cached are not downloaded again).</summary>
    Always,
}
