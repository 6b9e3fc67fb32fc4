using System.Security.Cryptography;
using System.Text;
using QemuUserStatic.Packages.Rpm;

namespace QemuUserStatic.Tests.Support;

/// <summary>
/// Makes broken RPMs from real ones, the way an attacker or a bad mirror would: edits bytes of the header or the
/// payload and, when asked, recomputes every digest rpm stores over them (PAYLOADDIGEST and ALT in the header;
/// SHA-256, SHA-1 and MD5 in the signature header) so that only a deeper check can catch the edit. All edits keep
/// lengths, so sizes stay right. The result passes `rpm -K --nosignature` when redigested.
/// </summary>
public static class RpmSurgery
{
    /// <summary>Writes <paramref name="destination"/>: <paramref name="rpm"/> with the edits applied.</summary>
    public static string Craft(
        string rpm, string destination, Action<byte[]>? editHeader = null, Action<byte[]>? editPayload = null, bool redigest = true,
        Action<byte[], RpmHeader>? editSignature = null)
    {
        var bytes = File.ReadAllBytes(rpm);
        using var package = RpmPackage.Open(rpm);
        var signatureStart = RpmPackage.LeadSize;
        var signature = bytes.AsSpan(signatureStart, package.Signature.Bytes.Length).ToArray();
        var headerStart = (int)package.PayloadOffset - package.Header.Bytes.Length;
        var header = bytes.AsSpan(headerStart, package.Header.Bytes.Length).ToArray();
        var payload = bytes.AsSpan((int)package.PayloadOffset).ToArray();
        var oldHeaderAndPayload = bytes.AsSpan(headerStart).ToArray();

        editPayload?.Invoke(payload);
        if (redigest && package.Header.GetStrings(RpmTag.PayloadDigest) is [var oldDigest, ..])
        {
            var newDigest = Convert.ToHexStringLower(SHA256.HashData(payload));
            Replace(header, Encoding.ASCII.GetBytes(oldDigest + "\0"), Encoding.ASCII.GetBytes(newDigest + "\0"));
            if (package.PayloadCompressor == "none" && package.Header.GetStrings(RpmTag.PayloadDigestAlt) is [var oldAlt, ..] && oldAlt != oldDigest)
            {
                Replace(header, Encoding.ASCII.GetBytes(oldAlt + "\0"), Encoding.ASCII.GetBytes(newDigest + "\0"));
            }
        }

        editHeader?.Invoke(header);
        if (redigest)
        {
            Replace(signature, Hex(SHA256.HashData(package.Header.Bytes)), Hex(SHA256.HashData(header)));
            Replace(signature, Hex(SHA1.HashData(package.Header.Bytes)), Hex(SHA1.HashData(header)));
            Replace(signature, MD5.HashData(oldHeaderAndPayload), MD5.HashData([.. header, .. payload]));
        }

        editSignature?.Invoke(signature, package.Signature);
        signature.CopyTo(bytes, signatureStart);
        header.CopyTo(bytes, headerStart);
        payload.CopyTo(bytes, (int)package.PayloadOffset);
        File.WriteAllBytes(destination, bytes);
        return destination;
    }

    /// <summary>Replaces every occurrence of <paramref name="from"/> by <paramref name="to"/> (same length); fails when there is none.</summary>
    public static void Replace(byte[] data, byte[] from, byte[] to)
    {
        Assert.That(to, Has.Length.EqualTo(from.Length), "same-length edits only");
        var found = 0;
        for (var at = data.AsSpan().IndexOf(from); at >= 0; at = NextIndex(data, from, at + 1))
        {
            to.CopyTo(data, at);
            found++;
        }

        Assert.That(found, Is.GreaterThan(0), $"'{Encoding.ASCII.GetString(from)}' not found");
    }

    /// <summary>Replaces ASCII text (same length).</summary>
    public static void Replace(byte[] data, string from, string to) =>
        Replace(data, Encoding.ASCII.GetBytes(from), Encoding.ASCII.GetBytes(to));

    /// <summary>Adds one to the int32 value of <paramref name="tag"/> in a header's bytes (the signature header is covered by no digest).</summary>
    public static void Increment(byte[] headerBytes, RpmHeader header, int tag)
    {
        var entry = header.Entries.Single(e => e.Tag == tag);
        var at = RpmHeader.IntroSize + (header.Entries.Count() * 16) + entry.Offset;
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(headerBytes.AsSpan(at));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(headerBytes.AsSpan(at), value + 1);
    }

    /// <summary>Sets the type and the count of <paramref name="tag"/>'s index entry in a header's bytes.</summary>
    public static void SetIndex(byte[] headerBytes, RpmHeader header, int tag, int? type = null, int? count = null)
    {
        var index = header.Entries.TakeWhile(e => e.Tag != tag).Count();
        Assert.That(index, Is.LessThan(header.Entries.Count()), $"tag {tag} not in the header");
        var at = headerBytes.AsSpan(RpmHeader.IntroSize + (index * 16));
        if (type is { } newType)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(at[4..], newType);
        }

        if (count is { } newCount)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(at[12..], newCount);
        }
    }

    /// <summary>Makes <paramref name="tag"/> an INT64 of <paramref name="value"/> (its data and the next 4 bytes overwritten).</summary>
    public static void SetInt64(byte[] headerBytes, RpmHeader header, int tag, long value)
    {
        SetIndex(headerBytes, header, tag, type: RpmHeader.TypeInt64, count: 1);
        var entry = header.Entries.Single(e => e.Tag == tag);
        var at = RpmHeader.IntroSize + (header.Entries.Count() * 16) + entry.Offset;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(headerBytes.AsSpan(at), value);
    }

    /// <summary>
    /// <paramref name="rpm"/> with every digest tag taken out of both headers (renamed to tags no reader knows, so sizes
    /// and offsets stay): no SHA-256, SHA-1 or MD5 in the signature header, no PAYLOADDIGEST, PAYLOADDIGESTALT or
    /// FILEDIGESTS in the header. What is left is a well-formed package that nothing vouches for.
    /// </summary>
    public static string WithoutDigests(string rpm, string destination)
    {
        using var package = RpmPackage.Open(rpm);
        return Craft(rpm, destination,
            editHeader: header => HideTags(header, package.Header, RpmTag.FileDigests, RpmTag.PayloadDigest, RpmTag.PayloadDigestAlt),
            redigest: false,
            editSignature: (signature, parsed) => HideTags(signature, parsed, RpmSignatureTag.Sha1, RpmSignatureTag.Sha256, RpmSignatureTag.Md5));
    }

    /// <summary>Renames the index entries of <paramref name="tags"/> in a header's bytes to unknown tags (100000 + tag).</summary>
    public static void HideTags(byte[] headerBytes, RpmHeader header, params int[] tags)
    {
        var index = 0;
        foreach (var entry in header.Entries)
        {
            if (tags.Contains(entry.Tag))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(headerBytes.AsSpan(RpmHeader.IntroSize + (index * 16)), 100_000 + entry.Tag);
            }

            index++;
        }
    }

    /// <summary>The offset where the data of cpio member <paramref name="name"/> starts in an uncompressed payload.</summary>
    public static int CpioDataOffset(byte[] payload, string name)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var at = payload.AsSpan().IndexOf(nameBytes);
        Assert.That(at, Is.GreaterThanOrEqualTo(110), $"{name} not in the payload");
        var end = at + nameBytes.Length;
        return end + ((4 - (end % 4)) % 4);
    }

    private static int NextIndex(byte[] data, byte[] pattern, int from)
    {
        var next = data.AsSpan(from).IndexOf(pattern);
        return next < 0 ? -1 : from + next;
    }

    private static byte[] Hex(byte[] digest) => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest));
}
