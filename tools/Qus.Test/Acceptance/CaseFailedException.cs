namespace QemuUserStatic.Acceptance;

/// <summary>A check of a case did not hold; the message says what was expected and what came.</summary>
internal sealed class CaseFailedException(string message) : Exception(message);
