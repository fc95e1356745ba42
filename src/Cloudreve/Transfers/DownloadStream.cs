using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// A remote file read front to back as one stream, through the transfer backend: a download URL is made
    /// when the first byte is wanted, a stream that breaks off or answers HTTP 5xx/429 is resumed with a Range
    /// request from the byte reached (URLs from <see cref="DownloadUrls"/>, as for <see cref="DownloadJob"/>),
    /// with the same attempts, backoff, Retry-After and read timeout (<see cref="RetryBudget"/>). Nothing is buffered
    /// beyond the caller's buffer, and disposing it closes the response, so a reader that stops early
    /// (Get-Content -TotalCount) does not download the rest.
    /// </summary>
    internal sealed class DownloadStream : Stream
    {
        private readonly CloudreveFile _file;
        private readonly TransferOptions _options;
        private readonly DownloadUrls _urls;
        private DownloadResponse? _response;
        private long _position;
        private long? _length;
        private bool _ended;
        private bool _disposed;

        public DownloadStream(ICloudreveDownloadBackend backend, CloudreveFile file, TransferOptions options)
        {
            _file = file;
            _options = options;
            _urls = new DownloadUrls(backend, file);
        }

        /// <summary>Bytes delivered to the reader so far.</summary>
        public long BytesRead => _position;

        /// <summary>The file length the server reported (null before the first response, or when it told none).</summary>
        public long? TotalLength => _length;

        /// <summary>Connections opened (the first one plus resumes).</summary>
        public int Connections { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        /// <summary>Opens the first response now (so that a missing file or a refused link fails here, not at the first read).</summary>
        public async Task OpenAsync(CancellationToken cancellationToken)
        {
            if (_response == null && !_ended)
            {
                await ConnectWithRetriesAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(DownloadStream));
            }

            if (count == 0)
            {
                return 0;
            }

            var budget = new RetryBudget(_options);
            while (true)
            {
                if (_ended || (_length.HasValue && _position >= _length.Value))
                {
                    Release();
                    _ended = true;
                    return 0;
                }

                try
                {
                    if (_response == null)
                    {
                        await ConnectAsync(cancellationToken).ConfigureAwait(false);
                        if (_ended)
                        {
                            continue;
                        }
                    }

                    var want = _length.HasValue ? (int)Math.Min(count, _length.Value - _position) : count;
                    int read;
                    using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        readTimeout.CancelAfter(_options.ReadTimeout);
                        try
                        {
                            read = await _response!.Body.ReadAsync(buffer, offset, want, readTimeout.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new CloudreveException(CloudreveErrorKind.Timeout, $"No data arrived for '{_file.Path}' for {_options.ReadTimeout.TotalSeconds} seconds.");
                        }
                    }

                    if (read == 0)
                    {
                        if (!_length.HasValue)
                        {
                            _ended = true;
                            Release();
                            return 0;
                        }

                        throw new IOException($"The connection closed after {_position} of {_length.Value} bytes.");
                    }

                    _position += read;
                    return read;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    Release();
                    if (!budget.TryAgain(ex, cancellationToken))
                    {
                        throw TransferErrors.Describe(ex, $"Reading '{_file.Path}'");
                    }

                    await budget.WaitAsync(ex, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task ConnectWithRetriesAsync(CancellationToken cancellationToken)
        {
            var budget = new RetryBudget(_options);
            while (true)
            {
                try
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    Release();
                    if (!budget.TryAgain(ex, cancellationToken))
                    {
                        throw TransferErrors.Describe(ex, $"Reading '{_file.Path}'");
                    }

                    await budget.WaitAsync(ex, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Opens a response from the current position.</summary>
        private async Task ConnectAsync(CancellationToken cancellationToken)
        {
            var response = await _urls.OpenAsync(_position, null, cancellationToken).ConfigureAwait(false);
            Connections++;
            try
            {
                if (response.TotalLength.HasValue)
                {
                    if (_length.HasValue && response.TotalLength.Value != _length.Value)
                    {
                        throw new CloudreveException(CloudreveErrorKind.TransferFailed,
                            $"'{_file.Path}' changed on the server while it was being read ({response.TotalLength.Value} bytes now, {_length.Value} before).");
                    }

                    _length = response.TotalLength;
                }

                if (response.Offset != _position)
                {
                    if (response.Offset != 0)
                    {
                        throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"The server sent bytes from {response.Offset} when {_position} was asked for.");
                    }

                    // The server ignored the range: skip what the reader already has.
                    await SkipAsync(response.Body, _position, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                response.Dispose();
                throw;
            }

            _response = response;
        }

        private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkContent.BufferSize);
            try
            {
                while (count > 0)
                {
                    var read = await body.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("The connection closed while skipping bytes already read.");
                    }

                    count -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void Release()
        {
            var response = _response;
            _response = null;
            response?.Dispose();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                Release();
            }

            base.Dispose(disposing);
        }
    }
}
