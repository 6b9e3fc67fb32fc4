using System.CommandLine;
using QemuUserStatic.Configuration;

namespace QemuUserStatic.Cli;

/// <summary>
/// The <c>--config</c> option every tool shares. The configuration is read only when a tool needs a default its
/// options did not give, so a tool given every value never depends on qus.yml.
/// </summary>
public static class ConfigOption
{
    /// <summary>A new <c>--config FILE</c> option.</summary>
    public static Option<string?> Create() => new("--config")
    {
        Description = $"Pipeline configuration file (default: ${PipelineConfig.EnvironmentVariable}, else {PipelineConfig.FileName} found upward from the current folder; built-in defaults without one)",
    };

    /// <summary>A lazily loaded configuration for the <c>--config</c> value of <paramref name="parse"/>.</summary>
    public static Lazy<PipelineConfig> Defaults(this ParseResult parse, Option<string?> option) =>
        new(() => PipelineConfig.Load(parse.GetValue(option)));
}
