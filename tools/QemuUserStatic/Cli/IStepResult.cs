using System.Text.Json.Serialization.Metadata;

namespace QemuUserStatic.Cli;

/// <summary>
/// What one step (qus-fetch … qus-register) did, in the form every tool hands to <see cref="StepOutput"/>: its GitHub
/// step outputs, its job summary and its exit code. The record itself, serialised, is the tool's <c>--json</c> document,
/// so implement these members explicitly: they are how the result is told, not part of it.
/// </summary>
public interface IStepResult
{
    /// <summary>The step outputs, name → value, in the order they are written; names and values are what workflows read.</summary>
    IReadOnlyList<(string Name, string Value)> Outputs { get; }

    /// <summary>Markdown for the job summary, or null for none.</summary>
    string? Summary { get; }

    /// <summary>
    /// The source-generated contract the <c>--json</c> document is written with: the step's own context (camelCase,
    /// absent values left out), declared beside the result, so this library knows no step's types and NativeAOT builds
    /// need no reflection.
    /// </summary>
    JsonTypeInfo JsonType { get; }

    /// <summary>The process exit code the result means.</summary>
    int ExitCode { get; }
}
