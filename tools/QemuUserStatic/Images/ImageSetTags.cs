namespace QemuUserStatic.Images;

/// <summary>
/// The tags every image set has, whatever its hosts and version: qus-images builds them (with the others of
/// <c>ImageTag</c>), qus-test runs them.
/// </summary>
public static class ImageSetTags
{
    /// <summary>The tag of the image with every emulator.</summary>
    public const string Latest = "latest";

    /// <summary>The tag of the image with /register only.</summary>
    public const string Register = "register";
}
