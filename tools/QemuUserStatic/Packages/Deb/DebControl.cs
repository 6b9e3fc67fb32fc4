namespace QemuUserStatic.Packages.Deb;

/// <summary>The fields of a package's <c>control</c> file (deb-control(5)): <c>Field: value</c>, continuation lines indented.</summary>
internal sealed class DebControl
{
    private readonly Dictionary<string, string> fields;

    private DebControl(Dictionary<string, string> fields) => this.fields = fields;

    /// <summary>Parses the first paragraph of <paramref name="text"/>.</summary>
    public static DebControl Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    fields[last] += "\n" + line.Trim();
                }

                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException($"control file line '{line}' is not 'Field: value'");
            }

            last = line[..colon].Trim();
            fields[last] = line[(colon + 1)..].Trim();
        }

        return new DebControl(fields);
    }

    /// <summary>A field's value, or null.</summary>
    public string? this[string field] => fields.TryGetValue(field, out var value) ? value : null;

    /// <summary>A field that must be there; its absence is an <see cref="InvalidDataException"/>.</summary>
    public string Required(string field) =>
        this[field] is { Length: > 0 } value ? value : throw new InvalidDataException($"the control file has no {field} field");
}
