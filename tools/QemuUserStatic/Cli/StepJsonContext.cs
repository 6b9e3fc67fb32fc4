using System.Text.Json;
using System.Text.Json.Serialization;
using QemuUserStatic.Acceptance;
using QemuUserStatic.Binfmt;
using QemuUserStatic.Fetch;
using QemuUserStatic.Images;
using QemuUserStatic.Push;
using QemuUserStatic.Releases;
using QemuUserStatic.Tarballs;

namespace QemuUserStatic.Cli;

/// <summary>
/// Source-generated JSON for the tools' <c>--json</c> documents (no reflection: qus-register is built with NativeAOT):
/// camelCase, indented, absent values left out, one result type per step.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FetchResult))]
[JsonSerializable(typeof(TarballsResult))]
[JsonSerializable(typeof(PublishResult))]
[JsonSerializable(typeof(ImagesResult))]
[JsonSerializable(typeof(TestResult))]
[JsonSerializable(typeof(PushResult))]
[JsonSerializable(typeof(RegisterResult))]
internal sealed partial class StepJsonContext : JsonSerializerContext
{
    /// <summary>The context <see cref="StepOutput"/> writes with: versions and paths carry '+' and '~', kept readable (never embedded in HTML).</summary>
    public static StepJsonContext Readable => field ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
