using System.Collections.Concurrent;

namespace QemuUserStatic.Common;

/// <summary>
/// Runs an asynchronous computation once per key, however many callers ask for it at the same time
/// (a layer shared by several images is compressed once).
/// </summary>
public sealed class AsyncMemo<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> results = new();

    /// <summary>The result for <paramref name="key"/>, computing it with <paramref name="compute"/> on first use.</summary>
    public Task<TValue> GetAsync(TKey key, Func<Task<TValue>> compute) =>
        results.GetOrAdd(key, _ => new Lazy<Task<TValue>>(compute)).Value;
}
