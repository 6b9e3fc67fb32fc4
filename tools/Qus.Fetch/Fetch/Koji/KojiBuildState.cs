namespace QemuUserStatic.Fetch.Koji;

/// <summary>Koji's build states (koji.BUILD_STATES).</summary>
internal enum KojiBuildState
{
    /// <summary>Still building.</summary>
    Building = 0,

    /// <summary>Built and imported.</summary>
    Complete = 1,

    /// <summary>Deleted.</summary>
    Deleted = 2,

    /// <summary>Failed.</summary>
    Failed = 3,

    /// <summary>Canceled.</summary>
    Canceled = 4,
}
