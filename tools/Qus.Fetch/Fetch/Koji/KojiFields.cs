namespace QemuUserStatic.Fetch.Koji;

/// <summary>Typed access to the members of Koji's XML-RPC structs, with errors that say which member is wrong.</summary>
internal static class KojiFields
{
    public static long Long(IReadOnlyDictionary<string, object?> fields, string name) =>
        fields.GetValueOrDefault(name) is long value ? value : throw new FormatException($"Koji answered without an integer '{name}'");

    public static string String(IReadOnlyDictionary<string, object?> fields, string name) =>
        fields.GetValueOrDefault(name) is string value ? value : throw new FormatException($"Koji answered without a string '{name}'");
}
