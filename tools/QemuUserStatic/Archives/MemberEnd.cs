using QemuUserStatic.Common;

namespace QemuUserStatic.Archives;

/// <summary>The end of a member of a streamed archive whose members are padded to an alignment (cpio: 4, tar: 512).</summary>
internal static class MemberEnd
{
    /// <summary>
    /// Skips what is left of <paramref name="member"/>, which started at <paramref name="offset"/> minus what was read
    /// of it, and the padding after it; returns the offset of what follows.
    /// </summary>
    public static long Skip(Stream stream, LengthLimitedStream member, long offset, int alignment)
    {
        member.SkipRest();
        offset += member.Length;
        var padding = (int)((alignment - (offset % alignment)) % alignment);
        if (padding > 0)
        {
            Span<byte> pad = stackalloc byte[alignment];
            stream.ReadExactly(pad[..padding]);
        }

        return offset + padding;
    }
}
