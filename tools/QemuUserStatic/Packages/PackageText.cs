using QemuUserStatic.Cli;

namespace QemuUserStatic.Packages;

/// <summary>
/// What a package says about itself (name, version, release, arch, file names) reaches logs, manifest.json, step
/// outputs and image tags; a control character in it (a line break followed by <c>::error::</c>, a terminal escape)
/// would act there, and no real package has one. So such text is refused where it is read.
/// </summary>
internal static class PackageText
{
    /// <summary>How much of a refused value the error quotes.</summary>
    public const int QuotedLength = 80;

    /// <summary>True when <paramref name="text"/> holds a control character (C0, DEL, C1).</summary>
    public static bool HasControl(string text) => text.Any(char.IsControl);

    /// <summary>
    /// <paramref name="value"/> when it holds no control character; else an <see cref="InvalidDataException"/>
    /// naming <paramref name="field"/> and quoting the value escaped (the readers add the package's name).
    /// </summary>
    public static string Checked(string value, string field) =>
        HasControl(value) ? throw new InvalidDataException($"the package {field} '{Quote(value)}' has a control character") : value;

    /// <summary><paramref name="value"/> escaped for an error message, cut at <see cref="QuotedLength"/> characters.</summary>
    public static string Quote(string value) =>
        LogText.Terminal(value.Length > QuotedLength ? value[..QuotedLength] + "..." : value);
}
