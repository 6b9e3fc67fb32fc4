using System.Text.Json.Serialization;
using QemuUserStatic.Architectures;

namespace QemuUserStatic.Oci;

/// <summary>
/// An image configuration (image-spec config.json): platform, run-time defaults and the layers' uncompressed digests.
/// Fields a base image may have beyond these (Docker's container_config, ports, volumes) are not carried over.
/// </summary>
public sealed record ImageConfig
{
    /// <summary>When the image was made, RFC 3339 (kept as text so that it is written back exactly).</summary>
    public string? Created { get; init; }

    /// <summary>The CPU architecture, GOARCH style (amd64, arm64).</summary>
    public required string Architecture { get; init; }

    /// <summary>The CPU variant (v8, v7), where there is one.</summary>
    public string? Variant { get; init; }

    /// <summary>The operating system (linux).</summary>
    public required string Os { get; init; }

    /// <summary>Defaults for containers run from the image.</summary>
    public ContainerConfig? Config { get; init; }

    /// <summary>The layers' uncompressed digests.</summary>
    [JsonPropertyName("rootfs")]
    public required RootFs RootFs { get; init; }

    /// <summary>How each layer was made, base first.</summary>
    public IReadOnlyList<HistoryEntry>? History { get; init; }

    /// <summary>The platform this configuration declares.</summary>
    [JsonIgnore]
    public OciPlatform Platform => new(Os, Architecture, Variant);
}

/// <summary>The run-time defaults of an image (the config's <c>config</c> object; its keys are PascalCase).</summary>
public sealed record ContainerConfig
{
    /// <summary>The user the process runs as.</summary>
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary>Environment, <c>NAME=value</c>.</summary>
    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>The entrypoint.</summary>
    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Default arguments.</summary>
    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>The working directory.</summary>
    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    /// <summary>Labels, sorted by key.</summary>
    [JsonPropertyName("Labels")]
    public SortedDictionary<string, string>? Labels { get; init; }

    /// <summary>The signal that stops a container.</summary>
    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    /// <summary>This configuration with <paramref name="name"/> set in the environment (replacing an earlier value).</summary>
    public ContainerConfig WithEnv(string name, string value) =>
        this with { Env = [.. (Env ?? []).Where(e => !e.StartsWith(name + "=", StringComparison.Ordinal)), $"{name}={value}"] };
}

/// <summary>The config's <c>rootfs</c>: the uncompressed digests of the layers, in order.</summary>
public sealed record RootFs
{
    /// <summary>Always <c>layers</c>.</summary>
    public string Type { get; init; } = "layers";

    /// <summary>The uncompressed (tar) digest of each layer.</summary>
    [JsonPropertyName("diff_ids")]
    public required IReadOnlyList<string> DiffIds { get; init; }
}

/// <summary>One step of an image's history, as <c>docker history</c> shows it.</summary>
public sealed record HistoryEntry
{
    /// <summary>When, RFC 3339.</summary>
    public string? Created { get; init; }

    /// <summary>What made it.</summary>
    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    /// <summary>A free comment.</summary>
    public string? Comment { get; init; }

    /// <summary>True when the step made no layer.</summary>
    [JsonPropertyName("empty_layer")]
    public bool? EmptyLayer { get; init; }
}
