using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;

namespace Cloudreve
{
    /// <summary>
    /// The hook every write through the module calls (cmdlets and the Cloudreve provider): it tells the
    /// session's listing cache which paths changed. Call it after a write, with each path that was
    /// created, deleted, renamed, moved away from or into.
    /// </summary>
    internal static class ItemChanges
    {
        public static void Changed(CloudreveSession session, params string[] paths)
        {
            if (session == null || paths == null)
            {
                return;
            }

            var cache = ListingCache.Peek(session);
            if (cache == null)
            {
                return;
            }

            foreach (var path in paths.Where(p => !string.IsNullOrEmpty(p)))
            {
                cache.Invalidate(path);
            }
        }
    }

    /// <summary>
    /// Short-lived folder listings of one session, shared by every Cloudreve drive mounted on it. A
    /// Cloudreve 3 listing is always complete (no paging), so a cached listing may answer "no such
    /// child"; a folder without a cached listing is never reported missing from the cache.
    /// </summary>
    internal sealed class ListingCache
    {
        private static readonly ConditionalWeakTable<CloudreveSession, ListingCache> PerSession = new ConditionalWeakTable<CloudreveSession, ListingCache>();

        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        private long _generation;

        /// <summary>Changes with every invalidation; take it before a fetch and hand it to <see cref="Store"/>.</summary>
        public long Generation => System.Threading.Interlocked.Read(ref _generation);

        public static ListingCache For(CloudreveSession session) => PerSession.GetValue(session, _ => new ListingCache());

        public static ListingCache? Peek(CloudreveSession session) => PerSession.TryGetValue(session, out var cache) ? cache : null;

        /// <summary>A listing no older than <paramref name="maxAge"/>, or null.</summary>
        public FolderListing? TryGet(string folderPath, TimeSpan maxAge)
        {
            if (_entries.TryGetValue(folderPath, out var entry) && DateTime.UtcNow - entry.At <= maxAge)
            {
                return entry.Listing;
            }

            return null;
        }

        /// <summary>Keeps a listing, unless something was invalidated since the fetch began (it may be stale).</summary>
        public void Store(FolderListing listing, DateTime fetchedAt, long generation)
        {
            if (generation != Generation)
            {
                return;
            }

            var entry = new Entry(listing, fetchedAt);
            _entries.AddOrUpdate(listing.Folder.Path, entry, (_, old) => old.At > fetchedAt ? old : entry);
            if (System.Threading.Interlocked.Increment(ref _stores) % 256 == 0)
            {
                Prune(DateTime.UtcNow - MaxAge);
            }
        }

        /// <summary>No drive trusts a listing longer than this; older ones are dropped now and then.</summary>
        public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

        private long _stores;

        private void Prune(DateTime before)
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.At < before)
                {
                    _entries.TryRemove(pair.Key, out _);
                }
            }
        }

        /// <summary>Forgets the path, everything below it and every folder above it.</summary>
        public void Invalidate(string path)
        {
            var normalized = RemotePath.Normalize(path);
            System.Threading.Interlocked.Increment(ref _generation);
            foreach (var key in _entries.Keys)
            {
                if (RemotePath.IsSameOrBelow(key, normalized) || RemotePath.IsSameOrBelow(normalized, key))
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }

        public void Clear()
        {
            System.Threading.Interlocked.Increment(ref _generation);
            _entries.Clear();
        }

        private sealed class Entry
        {
            public Entry(FolderListing listing, DateTime at)
            {
                Listing = listing;
                At = at;
            }

            public FolderListing Listing { get; }

            public DateTime At { get; }
        }
    }
}
