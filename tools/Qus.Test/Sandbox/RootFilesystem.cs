using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using QemuUserStatic.Cli;
using QemuUserStatic.Common;
using QemuUserStatic.Oci;
using SharpCompress.Compressors.ZStandard;

namespace QemuUserStatic.Sandbox;

/// <summary>
/// An image's file system unpacked into a folder without a daemon: its layers applied in order as the OCI image spec
/// applies changesets — a whiteout <c>.wh.NAME</c> deletes what lower layers put at NAME, an opaque marker
/// <c>.wh..wh..opq</c> empties its folder of lower layers' content — every layer checked against its digest while it
/// is read, and no entry able to write outside the folder (<see cref="PathInRoot"/>).
/// </summary>
/// <remarks>
/// Device nodes and FIFOs are left out: nobody but the machine's root may make them, and the programs a test runs do
/// not need them (the sandbox binds the host's /dev). Hard links become copies.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class RootFilesystem
{
    /// <summary>The prefix of a whiteout entry's name.</summary>
    public const string WhiteoutPrefix = ".wh.";

    /// <summary>The name of the entry that makes its folder opaque.</summary>
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>
    /// Unpacks every layer of <paramref name="image"/> into <paramref name="folder"/> (created if missing).
    /// <paramref name="owners"/> maps an entry's uid:gid to the host ids its file gets (null: leave the caller's).
    /// </summary>
    public static async Task UnpackAsync(
        PlatformImage image, string folder, Func<long, long, (long Uid, long Gid)?>? owners, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        if (owners?.Invoke(0, 0) is { } rootIds)
        {
            // The folder is the image's /: its root owns it, whether or not a layer says so.
            SetOwner(folder, rootIds);
        }

        foreach (var layer in image.Layers)
        {
            await Task.Run(() => ApplyVerified(image.Store, layer, folder, owners, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies one uncompressed layer (a tar stream) on top of what <paramref name="root"/> holds.</summary>
    public static void Apply(Stream tar, string root, Func<long, long, (long Uid, long Gid)?>? owners, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var folderModes = new List<(string Path, UnixFileMode Mode)>();
        using var reader = new TarReader(tar, leaveOpen: true);
        while (NextEntry(reader) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = PathInRoot.Split(entry.Name);
            if (parts.Count == 0)
            {
                continue;
            }

            var name = string.Join('/', parts);
            var parent = string.Join('/', parts.Take(parts.Count - 1));
            var leaf = parts[^1];
            if (leaf == OpaqueMarker)
            {
                EmptyOfLowerLayers(root, parent, written);
                continue;
            }

            if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                Delete(Path.Combine(PathInRoot.Resolve(root, parent), leaf[WhiteoutPrefix.Length..]));
                continue;
            }

            var path = PathInRoot.ForEntry(root, name);
            if (!Write(entry, root, path))
            {
                continue;
            }

            written.Add(name);
            if (owners?.Invoke(entry.Uid, entry.Gid) is { } ids)
            {
                SetOwner(path, ids);
            }

            // Modes after owners: chown(2) clears the setuid bit. Folders last, so a read-only one can still be filled.
            if (entry.EntryType == TarEntryType.Directory)
            {
                folderModes.Add((path, entry.Mode));
            }
            else if (entry.EntryType != TarEntryType.SymbolicLink)
            {
                File.SetUnixFileMode(path, entry.Mode);
            }
        }

        foreach (var (path, mode) in Enumerable.Reverse(folderModes))
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void SetOwner(string path, (long Uid, long Gid) ids)
    {
        var errno = SandboxCalls.SetOwner(path, ids.Uid, ids.Gid);
        if (errno != 0)
        {
            throw new IOException($"{path}: cannot set its owner to {ids.Uid}:{ids.Gid} (errno {errno})");
        }
    }

    // Some writers (umoci) end a layer without tar's two zero blocks; Go's reader, and so Docker, takes the end of the
    // stream as the end of the archive. A layer cut short anywhere else fails its digest check.
    private static TarEntry? NextEntry(TarReader reader)
    {
        try
        {
            return reader.GetNextEntry();
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private static void ApplyVerified(
        OciLayout store, Descriptor layer, string folder, Func<long, long, (long Uid, long Gid)?>? owners, CancellationToken cancellationToken)
    {
        using var blob = store.OpenBlob(layer);
        using var hashing = HashingStream.Sha256(blob);
        try
        {
            var tar = Decompress(hashing, layer);
            try
            {
                Apply(tar, folder, owners, cancellationToken);
            }
            finally
            {
                if (!ReferenceEquals(tar, hashing))
                {
                    tar.Dispose();
                }
            }

            hashing.CopyTo(Stream.Null);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ZstdException)
        {
            throw new UserException($"layer {layer.Digest}: not a valid {layer.MediaType} ({ex.Message})");
        }

        if (OciDigest.FromHex(hashing.HexDigest()) != layer.Digest)
        {
            throw new UserException($"{store.BlobPath(layer.Digest)}: layer content does not match its digest {layer.Digest}");
        }
    }

    private static Stream Decompress(Stream blob, Descriptor layer) => MediaTypes.OciLayerType(layer.MediaType) switch
    {
        MediaTypes.LayerGzip => new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true),
        MediaTypes.LayerZstd => new DecompressionStream(blob, 1 << 16, checkEndOfStream: false, leaveOpen: true),
        MediaTypes.LayerTar => blob,
        _ => throw new UserException($"layer {layer.Digest}: unsupported media type '{layer.MediaType}'"),
    };

    // Writes one entry at its place; false for kinds that are left out.
    private static bool Write(TarEntry entry, string root, string path)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!IsFolder(path))
                {
                    Delete(path);
                    Directory.CreateDirectory(path);
                }

                return true;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Delete(path);
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    entry.DataStream?.CopyTo(output);
                }

                return true;
            case TarEntryType.SymbolicLink:
                Delete(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                return true;
            case TarEntryType.HardLink:
                var target = PathInRoot.Resolve(root, entry.LinkName);
                Delete(path);
                File.Copy(target, path);
                return true;
            default:
                return false;
        }
    }

    private static void EmptyOfLowerLayers(string root, string folder, HashSet<string> written)
    {
        var path = PathInRoot.Resolve(root, folder);
        if (!IsFolder(path))
        {
            return;
        }

        foreach (var child in Directory.EnumerateFileSystemEntries(path))
        {
            var name = folder.Length == 0 ? Path.GetFileName(child) : $"{folder}/{Path.GetFileName(child)}";
            if (!written.Contains(name))
            {
                Delete(child);
            }
        }
    }

    private static bool IsFolder(string path) => new FileInfo(path).LinkTarget is null && Directory.Exists(path);

    // Deletes a file, a link (not its target) or a folder with everything in it; nothing there is fine.
    private static void Delete(string path)
    {
        if (IsFolder(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
