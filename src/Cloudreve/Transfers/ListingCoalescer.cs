using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Folder listings taken after a given moment, shared between concurrent jobs: a job that needs to
    /// see its finished upload reuses a listing that starts after its upload ended instead of asking
    /// for one more. A new listing waits a moment before it starts, so the jobs that finish meanwhile
    /// share it (many small files do not cost one listing each).
    /// </summary>
    internal sealed class ListingCoalescer
    {
        private readonly ICloudreveBackend _backend;
        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        public ListingCoalescer(ICloudreveBackend backend, TimeSpan? gatherDelay = null)
        {
            _backend = backend;
            _gatherDelay = gatherDelay ?? TimeSpan.FromMilliseconds(100);
        }

        private readonly TimeSpan _gatherDelay;

        public Task<FolderListing> ListAfterAsync(string folder, DateTime notBeforeUtc, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_entries.TryGetValue(folder, out var entry) && entry.StartedUtc >= notBeforeUtc && !entry.Task.IsFaulted && !entry.Task.IsCanceled)
                {
                    return entry.Task;
                }

                var start = new TaskCompletionSource<bool>();
                var fresh = new Entry(DateTime.UtcNow + _gatherDelay, ListLaterAsync(folder, start.Task, cancellationToken));
                if (entry == null ? _entries.TryAdd(folder, fresh) : _entries.TryUpdate(folder, fresh, entry))
                {
                    start.SetResult(true);
                    return fresh.Task;
                }

                start.SetResult(false);
            }
        }

        private async Task<FolderListing> ListLaterAsync(string folder, Task<bool> go, CancellationToken cancellationToken)
        {
            if (!await go.ConfigureAwait(false))
            {
                throw new OperationCanceledException();
            }

            await Task.Delay(_gatherDelay, cancellationToken).ConfigureAwait(false);
            return await _backend.ListAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        private sealed class Entry
        {
            public Entry(DateTime startedUtc, Task<FolderListing> task)
            {
                StartedUtc = startedUtc;
                Task = task;
            }

            public DateTime StartedUtc { get; }

            public Task<FolderListing> Task { get; }
        }
    }
}
