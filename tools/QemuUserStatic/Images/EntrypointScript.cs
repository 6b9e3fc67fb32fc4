using System.Text;

namespace QemuUserStatic.Images;

/// <summary>The bytes of the <c>/register</c> entrypoint of the <c>latest</c>, <c>VERSION</c> and <c>register</c> images.</summary>
public sealed record EntrypointScript(ReadOnlyMemory<byte> Content)
{
    /// <summary>Its path in the images.</summary>
    public const string ImagePath = "/register";

    /// <summary>A script from its text (UTF-8).</summary>
    public static EntrypointScript FromText(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// qus-register's generated script (<see cref="Binfmt.RegisterScript"/>): the same table and the same sentences as
    /// the tool, so an image registers exactly what <c>qus-register</c> would.
    /// </summary>
    public static EntrypointScript Register { get; } = new(Binfmt.RegisterScript.RenderBytes());
}
