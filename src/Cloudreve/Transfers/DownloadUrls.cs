using System;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// The download URLs of one file for one transfer (every stream of a <see cref="DownloadJob"/>, or one
    /// <see cref="DownloadStream"/>): one URL is made and reused; a URL that answers as expired after it
    /// was used is replaced once, by one stream for all; a "download session not exist" (404) for a URL that
    /// worked before means the group downloads once per URL, and from then on every request gets its own.
    /// A URL that answers as expired the first time it is used is marked spent, so the caller's next
    /// attempt gets a fresh one. Thread-safe.
    /// </summary>
    internal sealed class DownloadUrls
    {
        private readonly ICloudreveDownloadBackend _backend;
        private readonly CloudreveFile _file;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly object _lock = new object();
        private int _made;
        private Uri? _url;
        private int _generation;
        private int _spentGeneration = -1;
        private volatile bool _perRequest;
        private DownloadUrlPool? _pool;

        /// <param name="pool">Where the first URL comes from when given (fetched with other files' URLs in one request).</param>
        public DownloadUrls(ICloudreveDownloadBackend backend, CloudreveFile file, DownloadUrlPool? pool = null)
        {
            _backend = backend;
            _file = file;
            _pool = pool;
        }

        /// <summary>URLs made so far.</summary>
        public int Made => Volatile.Read(ref _made);

        /// <summary>True once the server was seen to let each URL download only once.</summary>
        public bool PerRequest => _perRequest;

        /// <summary>Makes the first URL now, so that a missing file or a refused download fails before any byte is fetched.</summary>
        public Task PrepareAsync(CancellationToken cancellationToken) => CurrentAsync(cancellationToken);

        /// <summary>
        /// Opens the file from <paramref name="offset"/> (to <paramref name="end"/> inclusive when given).
        /// Throws what the request threw (a spent or expired URL as <see cref="CloudreveErrorKind.DownloadUrlExpired"/>
        /// when a fresh one did not help); the caller decides about another attempt.
        /// </summary>
        public async Task<DownloadResponse> OpenAsync(long offset, long? end, CancellationToken cancellationToken)
        {
            if (_perRequest)
            {
                return await OpenSingleAsync(offset, end, cancellationToken).ConfigureAwait(false);
            }

            var (url, generation, used) = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await OpenMarkingAsync(url, generation, offset, end, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.DownloadUrlExpired && used)
            {
                if (ex.ServerCode == 404)
                {
                    // "Download session not exist" for a URL that was fine before: the group downloads once per URL.
                    _perRequest = true;
                    TransportLog.Write($"The download URL of '{_file.Path}' was used up; getting a URL for every request from now on.");
                    return await OpenSingleAsync(offset, end, cancellationToken).ConfigureAwait(false);
                }

                TransportLog.Write($"The download URL of '{_file.Path}' expired; getting a fresh one.");
                (url, generation, _) = await CurrentAsync(cancellationToken).ConfigureAwait(false);
                return await OpenMarkingAsync(url, generation, offset, end, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<DownloadResponse> OpenMarkingAsync(Uri url, int generation, long offset, long? end, CancellationToken cancellationToken)
        {
            try
            {
                return await _backend.OpenDownloadAsync(url, offset, end, cancellationToken).ConfigureAwait(false);
            }
            catch (CloudreveException ex) when (ex.Kind == CloudreveErrorKind.DownloadUrlExpired)
            {
                // Whoever asks next (this stream's next attempt or another stream) gets a fresh URL.
                MarkSpent(generation);
                throw;
            }
        }

        private async Task<DownloadResponse> OpenSingleAsync(long offset, long? end, CancellationToken cancellationToken)
        {
            var single = await _backend.GetDownloadUrlAsync(_file, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _made);
            return await _backend.OpenDownloadAsync(single, offset, end, cancellationToken).ConfigureAwait(false);
        }

        private void MarkSpent(int generation)
        {
            lock (_lock)
            {
                if (_generation == generation)
                {
                    _spentGeneration = generation;
                }
            }
        }

        /// <summary>The URL in use (made now when there is none or the last one was spent), its generation, and whether it was in use before.</summary>
        private async Task<(Uri Url, int Generation, bool Used)> CurrentAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                int generation;
                lock (_lock)
                {
                    if (_url != null && _spentGeneration != _generation)
                    {
                        return (_url, _generation, true);
                    }

                    generation = _generation;
                }

                // The first URL may come from a batch; any later one (a refresh) is asked for this file alone.
                var pool = _pool;
                _pool = null;
                var url = (pool == null ? null : await pool.TakeAsync(_file, cancellationToken).ConfigureAwait(false))
                    ?? await _backend.GetDownloadUrlAsync(_file, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    Interlocked.Increment(ref _made);
                    _url = url;
                    _generation = generation + 1;
                    return (url, _generation, false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
