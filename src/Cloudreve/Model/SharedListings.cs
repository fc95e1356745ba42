using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve
{
    /// <summary>
    /// Folder listings through a session's shared <see cref="ListingCache"/> (the one the Cloudreve drives
    /// use): a listing young enough is answered without a request, otherwise one fetch per folder runs at
    /// a time and stores what it gets in the cache. A caller may stop waiting for a fetch; the fetch goes
    /// on (bounded by its own time limit) so the next call finds the listing cached.
    /// </summary>
    internal static class SharedListings
    {
        private static readonly ConditionalWeakTable<CloudreveSession, ConcurrentDictionary<string, Task<FolderListing>>> InFlight =
            new ConditionalWeakTable<CloudreveSession, ConcurrentDictionary<string, Task<FolderListing>>>();

        /// <summary>The cached listing of <paramref name="folderPath"/> no older than <paramref name="maxAge"/>, or null (never a request).</summary>
        public static FolderListing? TryGetCached(CloudreveSession session, string folderPath, TimeSpan maxAge) =>
            ListingCache.Peek(session)?.TryGet(folderPath, maxAge);

        /// <summary>
        /// Lists <paramref name="folderPath"/> from the server (joining a fetch of the same folder that is
        /// already running) and stores the listing in the session's cache. The fetch gives up after
        /// <paramref name="fetchLimit"/> whether or not anybody still waits for it.
        /// </summary>
        public static Task<FolderListing> FetchAsync(CloudreveSession session, string folderPath, TimeSpan fetchLimit)
        {
            var pending = InFlight.GetValue(session, _ => new ConcurrentDictionary<string, Task<FolderListing>>(StringComparer.Ordinal));
            var started = false;
            if (pending.TryGetValue(folderPath, out var finished) && finished.IsCompleted)
            {
                // A fetch that has ended but is not forgotten yet is no longer "running": never join it.
                ((ICollection<KeyValuePair<string, Task<FolderListing>>>)pending).Remove(new KeyValuePair<string, Task<FolderListing>>(folderPath, finished));
            }

            var task = pending.GetOrAdd(folderPath, path =>
            {
                started = true;
                return Task.Run(() => FetchCoreAsync(session, path, fetchLimit));
            });

            if (started)
            {
                // Forget the fetch once it ends (only this very task: a newer one may have taken its place).
                task.ContinueWith(
                    t =>
                    {
                        _ = t.Exception; // observed: a failed fetch nobody waited for is not an error
                        ((ICollection<KeyValuePair<string, Task<FolderListing>>>)pending).Remove(new KeyValuePair<string, Task<FolderListing>>(folderPath, t));
                    },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return task;
        }

        private static async Task<FolderListing> FetchCoreAsync(CloudreveSession session, string folderPath, TimeSpan fetchLimit)
        {
            using var limit = new CancellationTokenSource(fetchLimit);
            return await ListAndStoreAsync(session, folderPath, limit.Token).ConfigureAwait(false);
        }

        /// <summary>
        /// Streams <paramref name="folderPath"/> from the server to <paramref name="onPage"/> through
        /// <see cref="ListingPages.PumpAsync"/> and stores the listing in the session's cache once its last page has
        /// arrived, so the cache only ever holds complete listings.
        /// </summary>
        public static async Task StreamAndStoreAsync(CloudreveSession session, string folderPath, Func<ListingPage, Task> onPage,
            CancellationToken cancellationToken, SemaphoreSlim? gate = null)
        {
            var cache = ListingCache.For(session);
            var generation = cache.Generation;
            var at = DateTime.UtcNow;
            await ListingPages.PumpAsync(session.Backend.OpenListing(folderPath), null, session, onPage,
                listing => cache.Store(listing, at, generation), cancellationToken, gate).ConfigureAwait(false);
        }

        /// <summary>
        /// Lists <paramref name="folderPath"/> from the server, ties the items to <paramref name="session"/> and
        /// stores the listing in the session's cache (unless the cache was invalidated meanwhile).
        /// </summary>
        public static async Task<FolderListing> ListAndStoreAsync(CloudreveSession session, string folderPath, CancellationToken cancellationToken)
        {
            var cache = ListingCache.For(session);
            var generation = cache.Generation;
            var at = DateTime.UtcNow;
            var listing = await session.Backend.ListAsync(folderPath, cancellationToken).ConfigureAwait(false);
            listing.Folder.Session = session;
            foreach (var child in listing.Children)
            {
                child.Session = session;
            }

            cache.Store(listing, at, generation);
            return listing;
        }
    }
}
