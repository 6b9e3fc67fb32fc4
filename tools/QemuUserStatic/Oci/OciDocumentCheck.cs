using QemuUserStatic.Cli;

namespace QemuUserStatic.Oci;

/// <summary>
/// What an OCI document read from a layout or a registry must hold before any of it is used: no null entries in its
/// lists, and every digest a well-formed sha256 one (a digest names a blob file, so '../..' must never reach a path;
/// sha512 is valid OCI but not what this code stores). Problems are user errors naming the document.
/// </summary>
internal static class OciDocumentCheck
{
    /// <summary><paramref name="document"/>, checked; <paramref name="source"/> names it in errors.</summary>
    public static T Checked<T>(T document, string source)
    {
        switch (document)
        {
            case ImageIndex index:
                Descriptors(index.Manifests, "manifests", source);
                break;
            case ImageManifest manifest:
                Descriptors([manifest.Config], "config", source);
                Descriptors(manifest.Layers, "layers", source);
                break;
            case ImageConfig config:
                foreach (var diffId in config.RootFs.DiffIds)
                {
                    Digest(diffId, "rootfs.diff_ids", source);
                }

                break;
        }

        return document;
    }

    private static void Descriptors(IReadOnlyList<Descriptor?> descriptors, string what, string source)
    {
        foreach (var descriptor in descriptors)
        {
            if (descriptor is null)
            {
                throw new UserException($"{source}: {what} has a null entry");
            }

            Digest(descriptor.Digest, what, source);
            if (descriptor.Size < 0)
            {
                throw new UserException($"{source}: {what} has a blob of negative size {descriptor.Size}");
            }
        }
    }

    private static void Digest(string? digest, string what, string source)
    {
        if (!OciDigest.IsValid(digest))
        {
            var shown = digest is null ? "null" : $"'{new string(digest.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray())}'";
            throw new UserException($"{source}: {what} has the digest {shown}, not a sha256 digest (sha256: and 64 lower-case hex digits)");
        }
    }
}
