namespace QemuUserStatic.Images;

/// <summary>What an image holds.</summary>
internal enum ImageKind
{
    /// <summary>FROM scratch and one emulator in /usr/bin (<c>x86_64-aarch64</c>, <c>aarch64</c>, …).</summary>
    Emulator,

    /// <summary>The base image, /register and every emulator (<c>latest</c>, <c>VERSION</c>).</summary>
    Emulators,

    /// <summary>The base image and /register only (<c>register</c>).</summary>
    Register,
}
