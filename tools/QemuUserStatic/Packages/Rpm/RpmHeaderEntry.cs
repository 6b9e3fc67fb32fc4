namespace QemuUserStatic.Packages.Rpm;

/// <summary>One index entry of an RPM header: which tag, its data type, where its data starts and how many values.</summary>
/// <param name="Tag">The tag number (RPMTAG_* in the main header, RPMSIGTAG_* in the signature header).</param>
/// <param name="Type">The data type (<see cref="RpmHeader"/> TypeXxx constants).</param>
/// <param name="Offset">Offset of the data in the header's data section.</param>
/// <param name="Count">Number of values.</param>
public sealed record RpmHeaderEntry(int Tag, int Type, int Offset, int Count);
