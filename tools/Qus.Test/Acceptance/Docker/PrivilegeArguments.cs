namespace QemuUserStatic.Acceptance.Docker;

/// <summary>
/// The <c>docker run</c> options that let a registering container write the kernel's binfmt_misc: <c>--privileged</c>,
/// as GitHub's runners allow, or — where the engine refuses it (a capability bounding set without CAP_SYS_RESOURCE:
/// "unable to apply caps") — the two things /register needs: CAP_SYS_ADMIN to mount binfmt_misc and a writable /proc/sys.
/// </summary>
/// <param name="Arguments">The options.</param>
/// <param name="Chosen">True when the user gave them; chosen options are never replaced.</param>
internal sealed record PrivilegeArguments(IReadOnlyList<string> Arguments, bool Chosen)
{
    /// <summary>The default, <c>--privileged</c>, which may fall back to <see cref="Fallback"/>.</summary>
    public static PrivilegeArguments Default { get; } = new(["--privileged"], Chosen: false);

    /// <summary>What is used when the engine refuses <c>--privileged</c>.</summary>
    public static PrivilegeArguments Fallback { get; } =
        new(["--cap-add", "SYS_ADMIN", "--security-opt", "systempaths=unconfined"], Chosen: false);

    /// <summary>Options the user gave (a line of words); empty means the default.</summary>
    public static PrivilegeArguments Parse(string? text)
    {
        var words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? Default : new PrivilegeArguments(words, Chosen: true);
    }

    /// <summary>True when a failed run is the engine refusing --privileged, and the fallback may be tried.</summary>
    public bool RefusedBy(Common.ProcessOutput output) =>
        !Chosen && this == Default && output.ExitCode is 125 or 126 or 127 &&
        output.StandardError.Contains("unable to apply caps", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public bool Equals(PrivilegeArguments? other) =>
        other is not null && Chosen == other.Chosen && Arguments.SequenceEqual(other.Arguments);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Chosen, string.Join(' ', Arguments));

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Arguments);
}
