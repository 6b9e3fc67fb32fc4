namespace QemuUserStatic.Binfmt;

/// <summary>One line of <see cref="BinfmtMessages.Rules"/>: which failures a sentence is for.</summary>
/// <param name="Action">The action, or null for any.</param>
/// <param name="Stage">Open or write, or null for either.</param>
/// <param name="Errnos">The errno values.</param>
/// <param name="Template">The sentence, with placeholders.</param>
/// <param name="Fatal">True when every further change would fail the same way (not mounted, not root): stop at once.</param>
public sealed record ErrnoRule(
    BinfmtAction? Action, WriteStage? Stage, IReadOnlyList<Errno> Errnos, string Template, bool Fatal = false)
{
    /// <summary>True when the rule is for this failure.</summary>
    public bool Fits(BinfmtAction action, WriteStage stage, Errno errno) =>
        (Action is null || Action == action) && (Stage is null || Stage == stage) && Errnos.Contains(errno);
}
