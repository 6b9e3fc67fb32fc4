namespace QemuUserStatic.Releases;

/// <summary>What publishing does with one file.</summary>
internal enum AssetAction
{
    /// <summary>Not on the release: upload it.</summary>
    Upload,

    /// <summary>On the release with the same size and SHA-256: nothing to do.</summary>
    Skip,

    /// <summary>Left half-uploaded (state <c>starter</c>) by an earlier run: delete it and upload again.</summary>
    Resume,

    /// <summary>On the release with other bytes, and replacing was asked for: delete it and upload.</summary>
    Replace,

    /// <summary>On the release with other bytes, and replacing was not asked for: an error.</summary>
    Conflict,
}

/// <summary>One file of the plan: the action, the asset it meets on the release, and why.</summary>
internal sealed record PlannedAsset(AssetFile File, AssetAction Action, PublishedAsset? Existing, string Reason)
{
    /// <summary>True when the action changes the release.</summary>
    public bool Changes => Action is AssetAction.Upload or AssetAction.Resume or AssetAction.Replace;
}
