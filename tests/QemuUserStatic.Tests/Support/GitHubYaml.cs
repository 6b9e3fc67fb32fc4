using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Tests.Support;

/// <summary>Workflow and action files of this repository, read with YamlDotNet's representation model.</summary>
public static class GitHubYaml
{
    /// <summary>Every workflow file under .github/workflows.</summary>
    public static IReadOnlyList<string> WorkflowFiles() =>
        Directory.GetFiles(Repo.Under(".github", "workflows"), "*.yml").Order(StringComparer.Ordinal).ToList();

    /// <summary>Every action.yml under actions/.</summary>
    public static IReadOnlyList<string> ActionFiles() =>
        Directory.Exists(Repo.Under("actions"))
            ? Directory.GetFiles(Repo.Under("actions"), "action.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Every workflow and action file, relative to the repository root, as test case names.</summary>
    public static IEnumerable<string> AllFilesRelative() =>
        WorkflowFiles().Concat(ActionFiles()).Select(f => Path.GetRelativePath(Repo.Root, f));

    /// <summary>The root mapping of a YAML file.</summary>
    public static YamlMappingNode Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>A child mapping, or null.</summary>
    public static YamlMappingNode? Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    /// <summary>A child sequence, or null.</summary>
    public static YamlSequenceNode? Seq(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlSequenceNode : null;

    /// <summary>A child scalar's value, or null.</summary>
    public static string? Str(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    /// <summary>The keys of a mapping.</summary>
    public static IEnumerable<string> Keys(this YamlMappingNode? node) =>
        node?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!) ?? [];

    /// <summary>A node's value as a list of strings: a scalar is one item, a sequence each of its scalars.</summary>
    public static IReadOnlyList<string> Strings(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child switch
            {
                YamlScalarNode scalar => [scalar.Value!],
                YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToList(),
                _ => [],
            }
            : [];

    /// <summary>Every step of every job of a workflow, with its job id.</summary>
    public static IEnumerable<(string Job, YamlMappingNode Step)> WorkflowSteps(YamlMappingNode workflow) =>
        workflow.Map("jobs")!.Children.SelectMany(job =>
            (((YamlMappingNode)job.Value).Seq("steps")?.Children ?? []).OfType<YamlMappingNode>()
            .Select(step => (((YamlScalarNode)job.Key).Value!, step)));

    /// <summary>The steps of a composite action.</summary>
    public static IEnumerable<YamlMappingNode> ActionSteps(YamlMappingNode action) =>
        (action.Map("runs")?.Seq("steps")?.Children ?? []).OfType<YamlMappingNode>();
}
