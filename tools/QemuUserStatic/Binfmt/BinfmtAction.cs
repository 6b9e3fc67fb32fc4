namespace QemuUserStatic.Binfmt;

/// <summary>What was being done when binfmt_misc answered with an errno.</summary>
public enum BinfmtAction
{
    /// <summary>mount(2) of binfmt_misc on the folder.</summary>
    Mount,

    /// <summary>A write to <c>register</c>.</summary>
    Register,

    /// <summary><c>-1</c> written to an entry.</summary>
    Remove,

    /// <summary><c>1</c> written to an entry.</summary>
    Enable,
}
