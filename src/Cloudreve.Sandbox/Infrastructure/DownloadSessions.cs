using System.Collections.Concurrent;

namespace Cloudreve.Sandbox;

/// <summary>Download sessions behind the signed /file/download/{key} URLs (in memory, like Cloudreve's cache).</summary>
internal sealed class DownloadSessions
{
    public sealed record Entry(long FileId, long UserId, long ExpiresUnix, long IssuedUnix);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public string Create(long fileId, long userId, long expiresUnix)
    {
        foreach (var (k, v) in _entries)
        {
            if (v.ExpiresUnix < GoTime.NowUnix()) _entries.TryRemove(k, out _);
        }
        var key = Signer.RandomKey(16);
        _entries[key] = new Entry(fileId, userId, expiresUnix, GoTime.NowUnix());
        return key;
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    public Entry? Get(string key) =>
        _entries.TryGetValue(key, out var e) && e.ExpiresUnix >= GoTime.NowUnix() ? e : null;
}
