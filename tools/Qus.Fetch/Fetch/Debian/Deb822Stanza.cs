namespace QemuUserStatic.Fetch.Debian;

/// <summary>
/// One paragraph of a Debian control file (deb822: <c>Field: value</c> lines, continuation lines start with a space,
/// paragraphs are separated by blank lines), as in a <c>Packages</c> index. Field names are case-insensitive.
/// </summary>
internal sealed class Deb822Stanza(IReadOnlyDictionary<string, string> fields)
{
    /// <summary>The value of a field (continuation lines joined with newlines), or null.</summary>
    public string? this[string field] => fields.GetValueOrDefault(field);

    /// <summary>Every field.</summary>
    public IReadOnlyDictionary<string, string> Fields => fields;

    /// <summary>
    /// Reads the stanzas of a deb822 file. With <paramref name="wantPackage"/>, stanzas whose first field is
    /// <c>Package:</c> with another name are skipped without being parsed (a Packages index has ~60 000).
    /// </summary>
    public static IEnumerable<Deb822Stanza> Read(TextReader reader, Func<string, bool>? wantPackage = null)
    {
        Dictionary<string, string>? current = null;
        string? lastField = null;
        var skipping = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                if (current is { Count: > 0 })
                {
                    yield return new Deb822Stanza(current);
                }

                current = null;
                lastField = null;
                skipping = false;
                continue;
            }

            if (skipping || line[0] == '#')
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is not null && lastField is not null)
                {
                    current[lastField] += "\n" + line[1..];
                }

                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"not a deb822 field: '{line}'");
            }

            var field = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (current is null)
            {
                if (wantPackage is not null && field.Equals("Package", StringComparison.OrdinalIgnoreCase) && !wantPackage(value))
                {
                    skipping = true;
                    continue;
                }

                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            current[field] = value;
            lastField = field;
        }

        if (current is { Count: > 0 })
        {
            yield return new Deb822Stanza(current);
        }
    }
}
