namespace QemuUserStatic.Acceptance;

/// <summary>The engine cannot run the case; the message says why (reported as not applicable, never as passed).</summary>
internal sealed class CaseNotApplicableException(string message) : Exception(message);
