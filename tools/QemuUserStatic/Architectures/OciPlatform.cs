namespace QemuUserStatic.Architectures;

/// <summary>An OCI platform (image-spec "platform" object): os, architecture and optional variant.</summary>
public sealed record OciPlatform(string Os, string Architecture, string? Variant = null)
{
    /// <summary>Parses "os/arch[/variant]" as Docker prints it (linux/arm/v7).</summary>
    public static bool TryParse(string text, out OciPlatform platform)
    {
        var parts = text.Split('/');
        platform = null!;
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            return false;
        }

        platform = new OciPlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }

    /// <summary>True when <paramref name="other"/> names this platform, a missing variant matching any.</summary>
    public bool Matches(OciPlatform other) =>
        Os == other.Os && Architecture == other.Architecture &&
        (other.Variant is null || Variant is null || Variant == other.Variant);

    /// <summary>
    /// The platform as Docker and containerd print it: arm64's default variant v8 left out (linux/arm64).
    /// </summary>
    public OciPlatform Normalized() => Architecture == "arm64" && Variant == "v8" ? this with { Variant = null } : this;

    /// <inheritdoc />
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
