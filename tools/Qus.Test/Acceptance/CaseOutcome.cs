namespace QemuUserStatic.Acceptance;

/// <summary>How a test case ended.</summary>
internal enum CaseOutcome
{
    /// <summary>Everything it checks held.</summary>
    Passed,

    /// <summary>A check did not hold, or something it needed failed.</summary>
    Failed,

    /// <summary>The engine cannot run it (a build without an engine that builds); neither passed nor failed.</summary>
    NotApplicable,
}
