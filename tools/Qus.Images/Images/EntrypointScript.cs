using System.Text;
using QemuUserStatic.Architectures;
using QemuUserStatic.Binfmt;

namespace QemuUserStatic.Images;

/// <summary>
/// The <c>/register</c> entrypoint of the <c>latest</c>, <c>VERSION</c> and <c>register</c> images, rendered per image
/// from the emulators it carries.
/// </summary>
internal sealed class EntrypointScript
{
    /// <summary>Its path in the images.</summary>
    public const string ImagePath = "/register";

    private readonly Func<IReadOnlyList<string>?, byte[]> render;

    private EntrypointScript(Func<IReadOnlyList<string>?, byte[]> render) => this.render = render;

    /// <summary>
    /// qus-register's generated script (<see cref="RegisterScript"/>): the same table and the same sentences as the
    /// tool, so an image registers exactly what <c>qus-register</c> would, limited by default to what the image carries.
    /// </summary>
    public static EntrypointScript Register { get; } = new(carried => RegisterScript.RenderBytes(new RegisterScriptOptions { Carried = carried }));

    /// <summary>A fixed script from its text (UTF-8), the same in every image.</summary>
    public static EntrypointScript FromText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new(_ => bytes);
    }

    /// <summary>
    /// The script of an image carrying <paramref name="emulators"/> (file names, <c>qemu-aarch64-static</c>), or of
    /// one carrying none of its own (null: the <c>register</c> image, which registers what it is told).
    /// </summary>
    public byte[] For(IReadOnlyCollection<string>? emulators) => render(emulators is null ? null : CarriedRows(emulators));

    // Every row served by a carried emulator: qemu-i386-static also runs i486 programs.
    private static List<string> CarriedRows(IReadOnlyCollection<string> emulators) =>
        ArchitectureTable.All.Where(t => emulators.Contains(t.EmulatorFileName())).Select(t => t.Name).ToList();
}
