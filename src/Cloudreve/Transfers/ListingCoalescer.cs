using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// Folder listings taken after a given moment, shared between concurrent jobs: a job that needs to
    /// see its finished upload reuses a listing that started after its upload ended instead of asking
    /// for one more.
    /// </summary>
    internal sealed class ListingCoalescer
    {
        private readonly ICloudreveBackend _backend;
        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        public ListingCoalescer(ICloudreveBackend backend)
        {
            _backend = backend;
        }

        public Task<FolderListing> ListAfterAsync(string folder, DateTime notBeforeUtc, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_entries.TryGetValue(folder, out var entry) && entry.StartedUtc >= notBeforeUtc && !entry.Task.IsFaulted && !entry.Task.IsCanceled)
                {
                    return entry.Task;
                }

                var fresh = new Entry(DateTime.UtcNow, _backend.ListAsync(folder, cancellationToken));
                if (entry == null ? _entries.TryAdd(folder, fresh) : _entries.TryUpdate(folder, fresh, entry))
                {
                    return fresh.Task;
                }
            }
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
