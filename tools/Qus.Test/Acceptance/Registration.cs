namespace QemuUserStatic.Acceptance;

/// <summary>
/// One way the images register the emulators: which image's <c>/register</c> runs with which options, and the flags
/// the kernel must then show for the target's entry.
/// </summary>
/// <param name="ImageTag">The image whose entrypoint registers (latest, register).</param>
/// <param name="Persistent">-p yes: flag F, the kernel opens the emulator at registration.</param>
/// <param name="Credential">-c yes: flags OC, setuid programs keep their credentials.</param>
internal sealed record Registration(string ImageTag, bool Persistent, bool Credential)
{
    /// <summary><c>latest --reset -p yes</c>: flags F (cases 1-3).</summary>
    public static Registration LatestPersistent { get; } = new(Images.ImageSetTags.Latest, Persistent: true, Credential: false);

    /// <summary><c>register --reset</c>: no flags, the interpreter is looked up in each container (cases 4, 6).</summary>
    public static Registration RegisterImage { get; } = new(Images.ImageSetTags.Register, Persistent: false, Credential: false);

    /// <summary><c>latest --reset -p yes -c yes</c>: flags OCF (case 7).</summary>
    public static Registration LatestCredential { get; } = new(Images.ImageSetTags.Latest, Persistent: true, Credential: true);

    /// <summary>The flags the entry must show, in the kernel's order (<c>OCF</c>, <c>F</c>, or empty).</summary>
    public string ExpectedFlags => (Credential ? "OC" : "") + (Persistent ? "F" : "");

    /// <summary>The entrypoint's arguments; <paramref name="targets"/> empty registers every target, as users run it.</summary>
    public IReadOnlyList<string> Arguments(IReadOnlyList<string> targets) =>
        ["--reset", .. Persistent ? new[] { "-p", "yes" } : [], .. Credential ? new[] { "-c", "yes" } : [], .. targets];

    /// <summary>The registration as a user would type it (image and options).</summary>
    public string Describe(IReadOnlyList<string> targets) => $"{ImageTag} {string.Join(' ', Arguments(targets))}";
}
