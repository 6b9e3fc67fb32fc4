using QemuUserStatic.Oci;

namespace QemuUserStatic.Push;

/// <summary>
/// Orders tags into waves of copies that can run at the same time without two of them writing the same thing: the
/// largest images go first (so <c>latest</c> uploads every emulator layer once, in parallel), and a tag joins a
/// wave only if no other tag of that wave claims a blob it still has to upload or any manifest it writes. Blobs
/// because two pushes that both find a blob missing would both upload it; manifests count every time because each push
/// writes its tag's manifest again, and a registry (distribution 2.x) answering two writes of one manifest at once can
/// briefly fail to find it while checking an index that lists it.
/// </summary>
internal static class PushWaves
{
    /// <summary>The waves, each a list of tags; <paramref name="content"/> gives every blob a tag needs.</summary>
    public static IReadOnlyList<IReadOnlyList<T>> Plan<T>(IReadOnlyList<T> tags, Func<T, IReadOnlyList<Descriptor>> content)
        where T : notnull
    {
        var needs = tags.ToDictionary(t => t, content);
        var pending = tags.OrderByDescending(t => needs[t].Sum(d => d.Size)).ToList();
        var uploaded = new HashSet<string>(StringComparer.Ordinal);
        var waves = new List<IReadOnlyList<T>>();
        while (pending.Count > 0)
        {
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            var wave = new List<T>();
            foreach (var tag in pending)
            {
                var fresh = needs[tag]
                    .Where(d => MediaTypes.IsIndex(d.MediaType) || MediaTypes.IsManifest(d.MediaType) || !uploaded.Contains(d.Digest))
                    .Select(d => d.Digest)
                    .ToList();
                if (!fresh.Any(claimed.Contains))
                {
                    claimed.UnionWith(fresh);
                    wave.Add(tag);
                }
            }

            pending.RemoveAll(wave.Contains);
            uploaded.UnionWith(claimed);
            waves.Add(wave);
        }

        return waves;
    }
}
