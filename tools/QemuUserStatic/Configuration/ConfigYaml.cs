using QemuUserStatic.Cli;
using QemuUserStatic.Packages;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace QemuUserStatic.Configuration;

/// <summary>
/// Reads the text and the YAML tree of a configuration file within <see cref="PackageLimits"/>: a file larger than
/// <see cref="PackageLimits.MaxConfigFileSize"/> is refused before it is read, and one nested deeper than
/// <see cref="PackageLimits.MaxConfigDepth"/> before YamlDotNet builds its tree (which recurses once per level).
/// </summary>
internal static class ConfigYaml
{
    /// <summary>The text of the configuration file at <paramref name="path"/>; one too large is a user error naming it.</summary>
    public static string ReadText(string path)
    {
        Common.FileTypes.RequireRegularFile(path, "configuration file");
        using var file = Common.SizeLimitedFile.Open(path, PackageLimits.MaxConfigFileSize, "a configuration file");
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The YAML stream of <paramref name="yaml"/>, its depth checked first with the streaming parser (which does not
    /// recurse). Syntax errors are <see cref="YamlException"/>s for the caller to place; too deep is a user error.
    /// </summary>
    public static YamlStream Load(string yaml, string fileName)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is MappingStart or SequenceStart && ++depth > PackageLimits.MaxConfigDepth)
            {
                throw new UserException($"{fileName}:{parser.Current.Start.Line}: nested more than {PackageLimits.MaxConfigDepth} levels deep");
            }

            if (parser.Current is MappingEnd or SequenceEnd)
            {
                depth--;
            }
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream;
    }
}
