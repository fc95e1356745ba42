using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// The first download URLs of the files one command receives from one session, fetched for many files per
    /// request where the backend can (<see cref="ICloudreveDownloadUrlBatches"/>): files are registered in the order
    /// they will be received, and the first file that needs a URL fetches URLs for itself and the files registered
    /// after it, up to the server's limit per request. Only the first URL of a file comes from here; a refresh of an
    /// expired or spent URL asks for that file alone. A file the batch has no URL for, a URL too close to its expiry
    /// or a failed batch request gives null, and the caller asks for the file alone, so its error stays its own.
    /// Thread-safe.
    /// </summary>
    internal sealed class DownloadUrlPool
    {
        /// <summary>A fetched URL with less life left than this is not handed out (the file asks afresh).</summary>
        internal static readonly TimeSpan FreshnessMargin = TimeSpan.FromSeconds(30);

        private readonly ICloudreveDownloadUrlBatches _backend;
        private readonly object _lock = new object();
        private readonly SemaphoreSlim _fetch = new SemaphoreSlim(1, 1);
        private readonly List<CloudreveFile> _pending = new List<CloudreveFile>();
        private readonly HashSet<string> _pendingPaths = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, Ready> _ready = new Dictionary<string, Ready>(StringComparer.Ordinal);
        private int _requests;
        private volatile bool _shortLived;

        public DownloadUrlPool(ICloudreveDownloadUrlBatches backend)
        {
            _backend = backend;
        }

        /// <summary>The pool for <paramref name="session"/>'s backend, or null when it makes one URL per request (3.x).</summary>
        public static DownloadUrlPool? For(CloudreveSession session) =>
            session.Backend is ICloudreveDownloadUrlBatches batches ? new DownloadUrlPool(batches) : null;

        /// <summary>Batch requests made so far.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>Adds a file that will need a URL; files are batched in the order they were added.</summary>
        public void Register(CloudreveFile file)
        {
            lock (_lock)
            {
                if (_pendingPaths.Add(file.Path))
                {
                    _pending.Add(file);
                }
            }
        }

        /// <summary>
        /// The file's first URL from a batch (fetching one with this file first when none holds it), or null when the
        /// caller should ask for the file alone.
        /// </summary>
        public async Task<Uri?> TakeAsync(CloudreveFile file, CancellationToken cancellationToken)
        {
            if (TryTakeReady(file, out var url))
            {
                return url;
            }

            if (_shortLived)
            {
                return null;
            }

            // Wait for a batch being fetched: it may hold this file.
            await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A batch fetched while this call waited may already hold the file.
                if (TryTakeReady(file, out url))
                {
                    return url;
                }

                if (_shortLived || !IsPending(file))
                {
                    return null;
                }

                var batch = TakeBatch(file);
                if (batch.Count == 0)
                {
                    return null;
                }

                DownloadUrlBatch answer;
                try
                {
                    Interlocked.Increment(ref _requests);
                    answer = await _backend.GetDownloadUrlBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudreveException ex)
                {
                    // Each file asks alone and gets its own answer (and error).
                    TransportLog.Write($"Getting download URLs for {batch.Count} files failed ({ex.Message}); asking for each file alone.");
                    return null;
                }

                if (answer.Expires.HasValue && answer.Expires.Value - DateTimeOffset.UtcNow < FreshnessMargin)
                {
                    // URLs that live this briefly would run out before their files come up: ask per file from now on.
                    _shortLived = true;
                }

                lock (_lock)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (answer.Urls[i] != null)
                        {
                            _ready[batch[i].Path] = new Ready(answer.Urls[i]!, answer.Expires);
                        }
                    }
                }

                return TryTakeReady(file, out url) ? url : null;
            }
            finally
            {
                _fetch.Release();
            }
        }

        private bool IsPending(CloudreveFile file)
        {
            lock (_lock)
            {
                return _pendingPaths.Contains(file.Path);
            }
        }

        /// <summary>This file and the pending files registered after it (then before it), up to the per-request limit.</summary>
        private List<CloudreveFile> TakeBatch(CloudreveFile file)
        {
            lock (_lock)
            {
                var at = _pending.FindIndex(f => f.Path == file.Path);
                if (at < 0)
                {
                    return new List<CloudreveFile>();
                }

                var size = Math.Max(1, _backend.MaxFilesPerUrlRequest);
                var batch = _pending.Skip(at).Concat(_pending.Take(at)).Take(size).ToList();
                foreach (var taken in batch)
                {
                    _pendingPaths.Remove(taken.Path);
                }

                _pending.RemoveAll(f => !_pendingPaths.Contains(f.Path));
                return batch;
            }
        }

        private bool TryTakeReady(CloudreveFile file, out Uri? url)
        {
            lock (_lock)
            {
                if (_ready.TryGetValue(file.Path, out var ready))
                {
                    _ready.Remove(file.Path);
                    if (!ready.Expires.HasValue || ready.Expires.Value - DateTimeOffset.UtcNow >= FreshnessMargin)
                    {
                        url = ready.Url;
                        return true;
                    }
                }
            }

            url = null;
            return false;
        }

        private sealed class Ready
        {
            public Ready(Uri url, DateTimeOffset? expires)
            {
                Url = url;
                Expires = expires;
            }

            public Uri Url { get; }

            public DateTimeOffset? Expires { get; }
        }
    }
}
