using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Cloudreve.Transfers
{
    /// <summary>
    /// The body of one chunk: bytes [offset, offset + length) of a local file, read in pieces into a
    /// pooled buffer and written straight to the request stream. The length is known up front, so the
    /// request carries an exact Content-Length (never chunked transfer encoding), and memory use does
    /// not depend on the chunk or file size. Bytes written are reported as they go.
    /// </summary>
    internal sealed class ChunkContent : HttpContent
    {
        internal const int BufferSize = 1024 * 1024;

        private readonly string _path;
        private readonly long _offset;
        private readonly long _length;
        private readonly Action<long>? _progress;
        private readonly CancellationToken _cancellationToken;

        public ChunkContent(string path, long offset, long length, Action<long>? progress, CancellationToken cancellationToken)
        {
            _path = path;
            _offset = offset;
            _length = length;
            _progress = progress;
            _cancellationToken = cancellationToken;
            Headers.ContentLength = length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                file.Seek(_offset, SeekOrigin.Begin);
                var remaining = _length;
                while (remaining > 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var want = (int)Math.Min(buffer.Length, remaining);
                    var read = file.Read(buffer, 0, want);
                    if (read == 0)
                    {
                        throw new IOException($"The file '{_path}' became shorter while it was being sent.");
                    }

                    await stream.WriteAsync(buffer, 0, read, _cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                    _progress?.Invoke(read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
