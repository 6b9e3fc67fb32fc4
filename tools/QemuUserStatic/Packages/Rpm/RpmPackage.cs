using System.Security.Cryptography;
using QemuUserStatic.Archives;
using QemuUserStatic.Archives.Cpio;
using QemuUserStatic.Common;

namespace QemuUserStatic.Packages.Rpm;

/// <summary>
/// An RPM package read natively: lead, signature header, main header, then the payload (a compressed cpio
/// archive) streamed. <see cref="Open"/> checks the header against the signature header's SHA-256 (and SHA-1),
/// the file size against the signature's SIZE, and the compressed payload against PAYLOADDIGEST (or header+payload
/// against the signature's MD5 on packages older than rpm 4.14); <see cref="SinglePassPackage.ReadEntries"/> checks every file read
/// to its end against FILEDIGESTS, and the uncompressed payload against PAYLOADDIGESTALT where that is the only
/// payload digest. Every problem is a one-line <see cref="Cli.UserException"/> naming the file.
/// </summary>
public sealed class RpmPackage : SinglePassPackage
{
    /// <summary>Size of the lead, the fixed-size block every RPM starts with.</summary>
    public const int LeadSize = 96;

    private const int LeadSignatureType = 5;
    private const int Buffer = 1 << 20;
    private readonly Dictionary<string, RpmFileInfo> filesByPath;
    private readonly HashAlgorithmName fileDigestAlgorithm;

    // Names of hard-linked files met before the name that carries their data, by cpio inode.
    private readonly Dictionary<uint, List<(string Path, RpmFileInfo Info)>> pendingLinks = [];

    // Hard links whose data entry was just returned, to be returned right after it.
    private readonly List<PackageEntry> releasedLinks = [];

    private RpmPackage(PackageIdentity identity, RpmHeader signature, RpmHeader header, long payloadOffset, long payloadLength, string compressor)
    {
        Identity = identity;
        Signature = signature;
        Header = header;
        PayloadOffset = payloadOffset;
        PayloadLength = payloadLength;
        PayloadCompressor = compressor;
        Files = RpmFileInfo.FromHeader(header);
        filesByPath = new Dictionary<string, RpmFileInfo>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            filesByPath.TryAdd(file.Path, file);
        }

        fileDigestAlgorithm = RpmDigestAlgorithm.FromPgpId(header.GetInteger(RpmTag.FileDigestAlgo) ?? RpmDigestAlgorithm.Md5);
    }

    /// <summary>Lead magic: ed ab ee db.</summary>
    public static ReadOnlySpan<byte> LeadMagic => [0xed, 0xab, 0xee, 0xdb];

    /// <inheritdoc />
    public override PackageIdentity Identity { get; }

    /// <summary>The signature header (digests and sizes over the header and payload).</summary>
    public RpmHeader Signature { get; }

    /// <summary>The main header (name, version, files, payload facts).</summary>
    public RpmHeader Header { get; }

    /// <summary>Offset of the payload in the file.</summary>
    public long PayloadOffset { get; }

    /// <summary>Size of the compressed payload in bytes.</summary>
    public long PayloadLength { get; }

    /// <summary>The payload compressor (zstd, xz, gzip, bzip2, none).</summary>
    public string PayloadCompressor { get; }

    /// <inheritdoc />
    public override PackageChecks Checks => field ??= ChecksOf(Signature, Header, AlternativeDigestAlgorithm(), fileDigestAlgorithm, Files);

    /// <summary>The files the header lists.</summary>
    public IReadOnlyList<RpmFileInfo> Files { get; }

    /// <summary>True when <paramref name="start"/> (the first bytes of a file) is an RPM lead.</summary>
    public static bool HasLead(ReadOnlySpan<byte> start) => start.StartsWith(LeadMagic);

    /// <summary>
    /// Reads the headers of the RPM at <paramref name="path"/> and checks every digest that does not need the payload
    /// decompressed: header SHA-256/SHA-1, size, compressed payload digest. Problems are user errors naming the file.
    /// </summary>
    public static RpmPackage Open(string path) => PackageErrors.Guard(path, () => OpenChecked(path));

    /// <summary>
    /// Checks everything the RPM at <paramref name="path"/> carries — header digests, size, payload digest, and every
    /// file against FILEDIGESTS — and returns its identity; throws a user error naming the file and the mismatch.
    /// </summary>
    public static PackageIdentity Verify(string path, CancellationToken cancellationToken = default) =>
        PackageFile.Verify(Open(path), cancellationToken);

    /// <inheritdoc />
    protected override IEnumerable<PackageEntry> Read(CancellationToken cancellationToken)
    {
        var path = Identity.Path;
        using var payload = OpenPayload(PayloadOffset, PayloadLength, PayloadCompressor);
        using var measured = new HashingStream(payload, PackageErrors.Guard(path, AlternativeDigestAlgorithm), leaveOpen: true);
        using var cpio = new CpioReader(measured, leaveOpen: true);
        foreach (var entry in Members(cpio.GetNextEntry, ToEntry, cancellationToken))
        {
            yield return entry;
            foreach (var link in releasedLinks)
            {
                yield return link;
            }

            releasedLinks.Clear();
        }

        if (pendingLinks.Values.FirstOrDefault() is [var orphan, ..])
        {
            throw PackageErrors.Describe(path, new InvalidDataException($"'{orphan.Path}' is a hard link, but the payload never carries its data"));
        }

        // Drain what follows the trailer: the decompressor checks the stream's end, size and digest cover it.
        PackageErrors.Guard(path, () => measured.CopyTo(Stream.Null, Buffer));
        PackageErrors.Guard(path, () => CheckUncompressedPayload(measured));
    }

    /// <summary>The uncompressed payload against the signature's PAYLOADSIZE and, where it is the only payload digest, PAYLOADDIGESTALT.</summary>
    private void CheckUncompressedPayload(HashingStream payload)
    {
        if ((Signature.GetInteger(RpmSignatureTag.LongArchiveSize) ?? Signature.GetInteger(RpmSignatureTag.PayloadSize)) is { } size
            && size != payload.BytesHashed)
        {
            throw new InvalidDataException($"uncompressed payload size mismatch: the signature header says {size} bytes, the payload has {payload.BytesHashed}");
        }

        if (payload.Algorithm is { } algorithm)
        {
            Expect("uncompressed payload", Header.GetStrings(RpmTag.PayloadDigestAlt)![0], payload.HexDigest(), "the header", algorithm.Name!);
        }
    }

    private static RpmPackage OpenChecked(string path)
    {
        using var file = SequentialFile.OpenRead(path);
        var lead = new byte[LeadSize];
        var got = file.ReadAtLeast(lead, LeadSize, throwOnEndOfStream: false);
        if (!HasLead(lead.AsSpan(0, got)))
        {
            throw new InvalidDataException("not an RPM package (no RPM lead magic edabeedb)");
        }

        if (got < LeadSize)
        {
            throw new EndOfStreamException();
        }

        if (lead[4] is < 3 or > 4 || (lead[78] << 8 | lead[79]) != LeadSignatureType)
        {
            throw new InvalidDataException($"unsupported RPM lead (format {lead[4]}.{lead[5]}, signature type {lead[78] << 8 | lead[79]})");
        }

        var signature = RpmHeader.Read(file, "signature header");
        var headerOffset = LeadSize + signature.Bytes.Length + ((8 - (signature.Bytes.Length % 8)) % 8);
        file.Position = headerOffset;
        var header = RpmHeader.Read(file, "header");
        var payloadOffset = headerOffset + header.Bytes.Length;
        CheckSize(signature, file.Length - headerOffset);
        CheckHeaderDigests(signature, header);
        var format = header.GetString(RpmTag.PayloadFormat) ?? "cpio";
        if (format != "cpio")
        {
            throw new InvalidDataException($"unsupported payload format '{format}' (expected cpio)");
        }

        var compressor = header.GetString(RpmTag.PayloadCompressor) ?? SniffGzip(file, payloadOffset);
        if (!Decompression.IsKnown(compressor))
        {
            throw new InvalidDataException($"unknown payload compressor '{compressor}' (known: {string.Join(", ", Decompression.Known)})");
        }

        var sha256 = HashFileAndCheckPayload(file, signature, header, headerOffset, payloadOffset);
        var identity = new PackageIdentity(
            Path: path,
            Format: PackageFormat.Rpm,
            Name: header.GetString(RpmTag.Name) ?? throw new InvalidDataException("the header has no NAME"),
            Epoch: header.GetInteger(RpmTag.Epoch)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Version: header.GetString(RpmTag.Version) ?? throw new InvalidDataException("the header has no VERSION"),
            Release: header.GetString(RpmTag.Release) ?? throw new InvalidDataException("the header has no RELEASE"),
            Arch: header.GetString(RpmTag.Arch) ?? "",
            BuildTime: header.GetInteger(RpmTag.BuildTime) is { } buildTime ? PackageLimits.Timestamp(buildTime, "BUILDTIME") : null,
            Size: file.Length,
            Sha256: sha256);
        return new RpmPackage(identity, signature, header, payloadOffset, file.Length - payloadOffset, compressor);
    }

    /// <summary>
    /// A header without PAYLOADCOMPRESSOR means gzip to rpm, whose gzip reader passes data without the gzip magic
    /// through unchanged: that is how uncompressed (w0.ufdio) payloads are read.
    /// </summary>
    private static string SniffGzip(FileStream file, long payloadOffset)
    {
        Span<byte> magic = stackalloc byte[2];
        file.Position = payloadOffset;
        var got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? Decompression.Gzip : Decompression.None;
    }

    private static void CheckSize(RpmHeader signature, long actual)
    {
        if ((signature.GetInteger(RpmSignatureTag.LongSize) ?? signature.GetInteger(RpmSignatureTag.Size)) is not { } expected)
        {
            return;
        }

        if (actual < expected)
        {
            throw new InvalidDataException(
                $"truncated: the signature header says {expected} bytes of header and payload, the file has {actual}");
        }

        if (actual > expected)
        {
            throw new InvalidDataException(
                $"{actual - expected} unexpected bytes after the payload (the signature header says {expected} bytes of header and payload)");
        }
    }

    private static void CheckHeaderDigests(RpmHeader signature, RpmHeader header)
    {
        if (signature.GetString(RpmSignatureTag.Sha256) is { } sha256)
        {
            Expect("header", sha256, Sha256Hex.Of(header.Bytes), "the signature header", "SHA256");
        }

        if (signature.GetString(RpmSignatureTag.Sha1) is { } sha1)
        {
            Expect("header", sha1, Convert.ToHexStringLower(SHA1.HashData(header.Bytes)), "the signature header", "SHA1");
        }
    }

    /// <summary>
    /// One pass over the file: the SHA-256 of the whole file (the package's identity) and, in the same read, the
    /// digest of the compressed payload (or MD5 of header+payload on old packages), so that a corrupt payload is
    /// reported as a digest mismatch before any decompressor sees it.
    /// </summary>
    private static string HashFileAndCheckPayload(FileStream file, RpmHeader signature, RpmHeader header, long headerOffset, long payloadOffset)
    {
        var payloadDigest = header.GetStrings(RpmTag.PayloadDigest) is { Count: > 0 } digests ? digests[0] : null;
        var md5 = payloadDigest is null ? signature.GetBinary(RpmSignatureTag.Md5) : null;
        var algorithm = RpmDigestAlgorithm.FromPgpId(header.GetInteger(RpmTag.PayloadDigestAlgo) ?? RpmDigestAlgorithm.Sha256);
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var part = payloadDigest is not null ? IncrementalHash.CreateHash(algorithm) : md5 is not null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var partStart = payloadDigest is not null ? payloadOffset : headerOffset;
        var buffer = new byte[Buffer];
        file.Position = 0;
        long position = 0;
        int count;
        while ((count = file.Read(buffer)) > 0)
        {
            whole.AppendData(buffer, 0, count);
            var skip = (int)Math.Clamp(partStart - position, 0, count);
            part?.AppendData(buffer, skip, count - skip);
            position += count;
        }

        if (payloadDigest is not null)
        {
            Expect("payload", payloadDigest, Convert.ToHexStringLower(part!.GetCurrentHash()), "the header", algorithm.Name!);
        }
        else if (md5 is not null)
        {
            Expect("header and payload", Convert.ToHexStringLower(md5), Convert.ToHexStringLower(part!.GetCurrentHash()), "the signature header", "MD5");
        }

        return Convert.ToHexStringLower(whole.GetCurrentHash());
    }

    /// <summary>What <see cref="OpenChecked"/> and <see cref="Read"/> check for this package's tags, in words.</summary>
    private static PackageChecks ChecksOf(
        RpmHeader signature, RpmHeader header, HashAlgorithmName? alternative, HashAlgorithmName fileDigests, IReadOnlyList<RpmFileInfo> files)
    {
        var whole = new List<string>();
        var headerCovered = false;
        foreach (var (tag, name) in new[] { (RpmSignatureTag.Sha256, "SHA256"), (RpmSignatureTag.Sha1, "SHA1") })
        {
            if (signature.GetString(tag) is not null)
            {
                whole.Add($"header {name} (signature header)");
                headerCovered = true;
            }
        }

        if (signature.Has(RpmSignatureTag.LongSize) || signature.Has(RpmSignatureTag.Size))
        {
            whole.Add("size (signature header)");
        }

        if (header.GetStrings(RpmTag.PayloadDigest) is { Count: > 0 })
        {
            whole.Add($"payload {RpmDigestAlgorithm.FromPgpId(header.GetInteger(RpmTag.PayloadDigestAlgo) ?? RpmDigestAlgorithm.Sha256).Name} (PAYLOADDIGEST)");
        }
        else if (signature.GetBinary(RpmSignatureTag.Md5) is not null)
        {
            whole.Add("header and payload MD5 (signature header)");
            headerCovered = true;
        }

        if (alternative is { } algorithm)
        {
            whole.Add($"uncompressed payload {algorithm.Name} (PAYLOADDIGESTALT)");
        }

        if (signature.Has(RpmSignatureTag.LongArchiveSize) || signature.Has(RpmSignatureTag.PayloadSize))
        {
            whole.Add("uncompressed payload size (signature header)");
        }

        var fileDigestsCarried = files.Any(f => f.Digest.Length > 0);
        return new PackageChecks(
            whole,
            fileDigestsCarried ? $"FILEDIGESTS {fileDigests.Name}" : null,
            headerCovered ? null : "no digest covers its header (no SHA256, SHA1 or MD5 in the signature header), so nothing vouches for its FILEDIGESTS");
    }

    /// <summary>The algorithm of PAYLOADDIGESTALT when the package has no PAYLOADDIGEST to check instead, else null.</summary>
    private HashAlgorithmName? AlternativeDigestAlgorithm() =>
        Header.Has(RpmTag.PayloadDigest) || Header.GetStrings(RpmTag.PayloadDigestAlt) is not { Count: > 0 }
            ? null
            : RpmDigestAlgorithm.FromPgpId(Header.GetInteger(RpmTag.PayloadDigestAlgo) ?? RpmDigestAlgorithm.Sha256);

    private PackageEntry? ToEntry(CpioEntry cpio)
    {
        var path = EntryPath.Normalize(cpio.Name);
        if (path.Length == 0)
        {
            return null;
        }

        if (!filesByPath.TryGetValue(path, out var info))
        {
            throw new InvalidDataException($"the payload has '{cpio.Name}', which the header does not list");
        }

        var stated = CpioEntry.TypeOf(info.Mode);
        if (stated != cpio.Type)
        {
            throw new InvalidDataException($"'{path}' is a {cpio.Type} in the payload but a {stated} in the header");
        }

        if (cpio.Type == ArchiveEntryType.SymbolicLink)
        {
            EntryPath.CheckSymbolicLink(path, cpio.LinkTarget!);
        }

        if (cpio.Type != ArchiveEntryType.RegularFile)
        {
            return new PackageEntry { Path = path, Type = cpio.Type, Mode = cpio.Permissions, Size = 0, LinkTarget = cpio.LinkTarget };
        }

        if (cpio.Size == 0 && info.Size > 0 && cpio.LinkCount > 1)
        {
            // A hard-linked file: cpio stores the data once, with the last of its names; this name has none. It is
            // returned as a hard link after the name that has the data, once its header facts are checked to match.
            if (!pendingLinks.TryGetValue(cpio.Inode, out var names))
            {
                pendingLinks[cpio.Inode] = names = [];
            }

            names.Add((path, info));
            return null;
        }

        if (cpio.LinkCount > 1 && pendingLinks.Remove(cpio.Inode, out var links))
        {
            foreach (var (linkPath, linkInfo) in links)
            {
                if (linkInfo.Size != info.Size || !string.Equals(linkInfo.Digest, info.Digest, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException(
                        $"'{linkPath}' and '{path}' are one hard-linked file in the payload, but the header gives them different sizes or digests");
                }

                releasedLinks.Add(new PackageEntry
                {
                    Path = linkPath, Type = ArchiveEntryType.HardLink, Mode = (UnixFileMode)(linkInfo.Mode & 0xFFF), Size = 0, LinkTarget = path,
                });
            }
        }

        if (cpio.Size != info.Size)
        {
            throw new InvalidDataException($"'{path}' is {cpio.Size} bytes in the payload but {info.Size} in the header");
        }

        var expected = info.Digest.Length > 0 ? new ExpectedDigest(fileDigestAlgorithm, info.Digest, "FILEDIGESTS") : null;
        return new PackageEntry
        {
            Path = path,
            Type = ArchiveEntryType.RegularFile,
            Mode = (UnixFileMode)(info.Mode & 0xFFF),
            Size = info.Size,
            Content = new EntryContent(cpio.DataStream, info.Size, Identity.Path, path, expected),
        };
    }

    private static void Expect(string what, string stated, string actual, string where, string algorithm = "SHA256")
    {
        if (!string.Equals(stated, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{what} {algorithm} digest mismatch: {where} says {stated.ToLowerInvariant()}, the {what} has {actual}");
        }
    }
}
