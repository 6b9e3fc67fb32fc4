namespace QemuUserStatic.Acceptance;

/// <summary>Which engine runs the cases.</summary>
internal enum EngineKind
{
    /// <summary>A Docker engine through the docker CLI; registers in the machine's binfmt_misc and restores it.</summary>
    Docker,

    /// <summary>No daemon: unpacked images in a user+mount namespace with a private binfmt_misc; builds not applicable.</summary>
    Sandbox,
}
