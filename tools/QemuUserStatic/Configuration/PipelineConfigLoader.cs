using System.Text.RegularExpressions;
using QemuUserStatic.Architectures;
using QemuUserStatic.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Configuration;

/// <summary>
/// Finds and reads <c>qus.yml</c>. The YAML is walked node by node (not deserialized into objects) so that every
/// unknown key and bad value is reported as <c>FILE:LINE: key: problem</c>.
/// </summary>
internal static partial class PipelineConfigLoader
{
    /// <summary>
    /// The configuration file to read: <paramref name="explicitPath"/> (must exist), else <paramref name="environmentPath"/>
    /// (<c>$QUS_CONFIG</c>, must exist), else the nearest <c>qus.yml</c> at or above <paramref name="currentDirectory"/>,
    /// else null (built-in defaults).
    /// </summary>
    public static string? Discover(string? explicitPath, string? environmentPath, string currentDirectory)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new UserException($"{explicitPath}: no such configuration file (--config)");
        }

        if (!string.IsNullOrEmpty(environmentPath))
        {
            return File.Exists(environmentPath)
                ? Path.GetFullPath(environmentPath)
                : throw new UserException($"{environmentPath}: no such configuration file (${PipelineConfig.EnvironmentVariable})");
        }

        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, PipelineConfig.FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Reads a configuration file; problems are <see cref="UserException"/>s naming the file and line.</summary>
    public static PipelineConfig LoadFile(string path) => Parse(ConfigYaml.ReadText(path), path);

    /// <summary>Reads configuration text; <paramref name="fileName"/> names it in errors.</summary>
    public static PipelineConfig Parse(string yaml, string fileName)
    {
        YamlStream stream;
        try
        {
            stream = ConfigYaml.Load(yaml, fileName);
        }
        catch (YamlException ex)
        {
            throw new UserException($"{fileName}:{ex.Start.Line}: {Flatten(ex)}");
        }

        var config = new PipelineConfig { SourceFile = fileName };
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return config;
        }

        if (stream.Documents.Count > 1)
        {
            throw new UserException($"{fileName}:{stream.Documents[1].RootNode.Start.Line}: only one YAML document is allowed");
        }

        return new Reader(fileName).Root(stream.Documents[0].RootNode, config);
    }

    private static string Flatten(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the line is already in front.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")]
    private static partial Regex GitHubRepositoryPattern();

    [GeneratedRegex("^([a-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$")]
    private static partial Regex ImageRepositoryPattern();

    /// <summary>Walks the document; knows the file name for error messages.</summary>
    private sealed class Reader(string fileName)
    {
        public PipelineConfig Root(YamlNode root, PipelineConfig config)
        {
            var keys = Mapping(root, "", "source", "qemu", "hosts", "targets", "debian", "fedora", "image", "github");
            var source = Or(keys, "source", Source, config.Origin);
            var hosts = Or(keys, "hosts", n => Hosts(n, source), config.Hosts);
            var image = Or(keys, "image", n => Mapping(n, "image", "repository"), []);
            var github = Or(keys, "github", n => Mapping(n, "github", "repository", "tag"), []);
            return config with
            {
                Origin = source,
                Qemu = Or(keys, "qemu", n => Qemu(n, source), config.Qemu),
                Hosts = hosts,
                Targets = Or(keys, "targets", Targets, config.Targets),
                Debian = Or(keys, "debian", n => Debian(n, config.Debian), config.Debian),
                Koji = Or(keys, "fedora", n => Koji(n, config.Koji), config.Koji),
                ImageRepository = Or(image, "repository", n => Matching(n, "image.repository", ImageRepositoryPattern(), "a lower-case image repository like ghcr.io/owner/qemu-user-static"), config.ImageRepository),
                GitHubRepository = Or(github, "repository", n => Matching(n, "github.repository", GitHubRepositoryPattern(), "OWNER/NAME"), config.GitHubRepository),
                ReleaseTag = Or(github, "tag", n => At(n, "github.tag", () => new ReleaseTagTemplate(Scalar(n, "github.tag"))), config.ReleaseTag),
            };
        }

        private PackageOrigin Source(YamlNode node) => Scalar(node, "source").ToLowerInvariant() switch
        {
            "debian" => PackageOrigin.Debian,
            "fedora" => PackageOrigin.Fedora,
            var other => throw Fail(node, $"source: '{other}' is not a source (fedora or debian)"),
        };

        private QemuVersion Qemu(YamlNode node, PackageOrigin source)
        {
            var keys = Mapping(node, "qemu", "version", "release");
            var version = Value(keys, "version") ?? throw Fail(node, "qemu: 'version' is missing");
            var release = Value(keys, "release");
            return At(release ?? version, "qemu", () => new QemuVersion(source, Scalar(version, "qemu.version"), release is null ? null : Scalar(release, "qemu.release")));
        }

        private List<string> Hosts(YamlNode node, PackageOrigin source)
        {
            var hosts = new List<string>();
            foreach (var item in Items(node, "hosts"))
            {
                var name = At(item, "hosts", () => ArchitectureTable.Get(Scalar(item, "hosts"), "host architecture").Name);
                if (hosts.Contains(name))
                {
                    throw Fail(item, $"hosts: {name} is listed twice");
                }

                CheckHosts([name], source, item);
                hosts.Add(name);
            }

            return hosts.Count > 0 ? hosts : throw Fail(node, "hosts: the list is empty");
        }

        private void CheckHosts(IEnumerable<string> hosts, PackageOrigin source, YamlNode node)
        {
            foreach (var host in hosts)
            {
                if (source.PackageArch(host) is null)
                {
                    throw Fail(node, $"hosts: {source.Name()} builds no qemu-user-static for host {host}");
                }
            }
        }

        private List<string>? Targets(YamlNode node)
        {
            if (node is YamlScalarNode scalar && string.Equals(scalar.Value, "all", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var targets = Items(node, "targets").Select(item => At(item, "targets", () => ArchitectureTable.Get(Scalar(item, "targets")).Name)).ToList();
            return targets.Distinct().Count() == targets.Count ? targets : throw Fail(node, "targets: a target is listed twice");
        }

        private DebianRepositoryConfig Debian(YamlNode node, DebianRepositoryConfig debian)
        {
            var keys = Mapping(node, "debian", "mirror", "suites", "suite", "component", "updates", "security", "snapshot", "keyring");
            if (Value(keys, "suites") is { } suites)
            {
                foreach (var older in new[] { "suite", "updates" })
                {
                    if (Value(keys, older) is { } conflict)
                    {
                        throw Fail(conflict, $"debian.{older}: give either debian.suites (a list) or debian.suite (with updates, security), not both");
                    }
                }
            }

            return debian with
            {
                Mirror = Or(keys, "mirror", n => Url(n, "debian.mirror"), debian.Mirror),
                SuiteList = Or(keys, "suites", Suites, debian.SuiteList),
                Suite = Or(keys, "suite", n => Word(n, "debian.suite"), debian.Suite),
                Component = Or(keys, "component", n => Word(n, "debian.component"), debian.Component),
                Updates = Or(keys, "updates", n => Boolean(n, "debian.updates"), debian.Updates),
                Security = Or(keys, "security", n => Url(n, "debian.security"), debian.Security),
                Snapshot = Or(keys, "snapshot", n => Url(n, "debian.snapshot"), debian.Snapshot),
                Keyring = Or(keys, "keyring", n => FilePath(n, "debian.keyring"), debian.Keyring),
            };
        }

        private List<string> Suites(YamlNode node)
        {
            var suites = new List<string>();
            foreach (var item in Items(node, "debian.suites"))
            {
                var suite = Word(item, "debian.suites");
                if (suites.Contains(suite))
                {
                    throw Fail(item, $"debian.suites: {suite} is listed twice");
                }

                suites.Add(suite);
            }

            return suites.Count > 0 ? suites : throw Fail(node, "debian.suites: the list is empty");
        }

        private KojiRepositoryConfig Koji(YamlNode node, KojiRepositoryConfig fedora)
        {
            var keys = Mapping(node, "fedora", "hub", "topurl", "package");
            return fedora with
            {
                Hub = Or(keys, "hub", n => Url(n, "fedora.hub"), fedora.Hub),
                TopUrl = Or(keys, "topurl", n => Url(n, "fedora.topurl"), fedora.TopUrl),
                Package = Or(keys, "package", n => Word(n, "fedora.package"), fedora.Package),
            };
        }

        /// <summary>The value of <paramref name="key"/> read by <paramref name="read"/>, or <paramref name="fallback"/> when absent.</summary>
        private static T Or<T>(Dictionary<string, YamlNode> keys, string key, Func<YamlNode, T> read, T fallback) =>
            Value(keys, key) is { } node ? read(node) : fallback;

        /// <summary>The keys of a mapping, each checked against <paramref name="known"/> and for duplicates.</summary>
        private Dictionary<string, YamlNode> Mapping(YamlNode node, string section, params string[] known)
        {
            var where = section.Length == 0 ? "" : $"{section}: ";
            if (node is not YamlMappingNode mapping)
            {
                throw Fail(node, $"{where}expected a mapping of {string.Join(", ", known)}");
            }

            var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = keyNode is YamlScalarNode { Value: { } text } ? text : throw Fail(keyNode, $"{where}keys must be plain words");
                var qualified = section.Length == 0 ? key : $"{section}.{key}";
                if (!known.Contains(key))
                {
                    throw Fail(keyNode, $"unknown key '{qualified}' (known{(section.Length == 0 ? "" : " in " + section)}: {string.Join(", ", known)})");
                }

                if (!keys.TryAdd(key, value))
                {
                    throw Fail(keyNode, $"duplicate key '{qualified}'");
                }
            }

            return keys;
        }

        /// <summary>The value of a key, or null when absent or written as null (the default applies).</summary>
        private static YamlNode? Value(Dictionary<string, YamlNode> keys, string key) =>
            keys.TryGetValue(key, out var node) && !IsNull(node) ? node : null;

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private IEnumerable<YamlNode> Items(YamlNode node, string key) => node switch
        {
            YamlSequenceNode sequence => sequence.Children,
            YamlScalarNode => [node],
            _ => throw Fail(node, $"{key}: expected a list"),
        };

        private string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0
                ? value.Trim()
                : throw Fail(node, $"{key}: expected a single value");

        private string Word(YamlNode node, string key)
        {
            var value = Scalar(node, key);
            return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '+')
                ? value
                : throw Fail(node, $"{key}: '{value}' is not a valid name");
        }

        /// <summary>A file path; a relative one is taken from the configuration file's folder.</summary>
        private string FilePath(YamlNode node, string key)
        {
            var value = Scalar(node, key);
            return Path.IsPathRooted(value) ? value : Path.GetFullPath(value, Path.GetDirectoryName(Path.GetFullPath(fileName))!);
        }

        private bool Boolean(YamlNode node, string key) => Scalar(node, key).ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            var other => throw Fail(node, $"{key}: '{other}' is not true or false"),
        };

        private Uri Url(YamlNode node, string key)
        {
            var value = Scalar(node, key);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Fail(node, $"{key}: '{value}' is not an http(s) URL");
            }

            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw Fail(node, $"{key}: '{uri.GetLeftPart(UriPartial.Path)}' must not carry a query or credentials");
            }

            return uri;
        }

        private string Matching(YamlNode node, string key, Regex pattern, string expected)
        {
            var value = Scalar(node, key);
            return pattern.IsMatch(value) ? value : throw Fail(node, $"{key}: '{value}' is not {expected}");
        }

        /// <summary>Runs a domain constructor; its <see cref="UserException"/> gets the file, line and key.</summary>
        private T At<T>(YamlNode node, string key, Func<T> create)
        {
            try
            {
                return create();
            }
            catch (UserException ex) when (!ex.Message.StartsWith(fileName + ":", StringComparison.Ordinal))
            {
                throw Fail(node, $"{key}: {ex.Message}");
            }
        }

        private UserException Fail(YamlNode node, string message) => new($"{fileName}:{node.Start.Line}: {message}");
    }
}
