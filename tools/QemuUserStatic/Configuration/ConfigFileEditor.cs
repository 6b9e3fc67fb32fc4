using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Configuration;

/// <summary>
/// Changes the pinned QEMU version in a <c>qus.yml</c> file in place: only the text of <c>qemu.version</c> (and
/// <c>qemu.release</c> for Fedora) is replaced; comments, order and every other byte stay as they were.
/// </summary>
public static class ConfigFileEditor
{
    /// <summary>Writes <paramref name="version"/> into the file at <paramref name="path"/> (atomically) and checks the result loads.</summary>
    public static async Task PinAsync(string path, QemuVersion version, CancellationToken cancellationToken = default)
    {
        var text = ConfigYaml.ReadText(path);
        var updated = Pin(text, path, version);
        var check = PipelineConfigLoader.Parse(updated, path);
        if (check.Qemu != version)
        {
            throw new UserException($"{path}: the edited file does not pin {version} (it reads {check.Qemu?.ToString() ?? "no version"})");
        }

        await AtomicFile.WriteAllTextAsync(path, updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The configuration text with <paramref name="version"/> pinned; <paramref name="fileName"/> names it in errors.</summary>
    public static string Pin(string text, string fileName, QemuVersion version)
    {
        var stream = ConfigYaml.Load(text, fileName);
        var qemu = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root &&
                   root.Children.TryGetValue(new YamlScalarNode("qemu"), out var node) && node is YamlMappingNode mapping
            ? mapping
            : throw new UserException($"{fileName}: no qemu: section to pin the version in");

        var edits = new List<(YamlScalarNode Node, string Value)> { (Scalar(qemu, "version", fileName), version.Version) };
        if (version.Release is { } release)
        {
            edits.Add((Scalar(qemu, "release", fileName), release));
        }

        // From the end of the text backwards, so earlier offsets stay valid.
        foreach (var (scalar, value) in edits.OrderByDescending(e => e.Node.Start.Index))
        {
            var start = checked((int)scalar.Start.Index);
            var end = checked((int)scalar.End.Index);
            text = string.Concat(text.AsSpan(0, start), Quote(value), text.AsSpan(end));
        }

        return text;
    }

    private static YamlScalarNode Scalar(YamlMappingNode qemu, string key, string fileName) =>
        qemu.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Style: not (ScalarStyle.Literal or ScalarStyle.Folded) } scalar
            ? scalar
            : throw new UserException($"{fileName}: qemu.{key} is not a single-line value to replace");

    // A double-quoted YAML scalar: versions carry ':', '+' and '~', which plain scalars may not always hold.
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
