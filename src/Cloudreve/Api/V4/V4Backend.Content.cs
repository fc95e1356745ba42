using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V4
{
    /// <summary>
    /// In-place content replacement for the drive on 4.x: the reference verifies no content-update route, so the
    /// new content goes through an upload session with entity_type "version" (section 10.2, cap 318): the file keeps
    /// its id, shares and direct links. The drive calls this only for small files of the local policy; the body is
    /// streamed chunk by chunk from <c>makeContent</c>, never buffered whole.
    /// </summary>
    internal sealed partial class V4Backend : IContentBackend
    {
        public async Task ReplaceContentAsync(CloudreveFile file, Func<HttpContent> makeContent, CancellationToken cancellationToken)
        {
            long length;
            using (var probe = makeContent())
            {
                length = probe.Headers.ContentLength ?? throw new ArgumentException("The content must have a known length.", nameof(makeContent));
            }

            var request = new UploadRequest
            {
                FolderPath = file.ParentPath,
                Name = file.Name,
                Size = length,
                ReplaceExisting = true,
                Policy = new CloudreveStoragePolicy { Type = "local" },
            };
            var session = await CreateUploadSessionAsync(request, cancellationToken).ConfigureAwait(false);
            var done = false;
            try
            {
                if (session.PolicyType != "local")
                {
                    throw new CloudreveException(CloudreveErrorKind.NotSupportedByServer,
                        $"Writing '{file.Path}' failed: its storage policy ({session.PolicyType}) takes content only through a full upload.");
                }

                for (var index = 0; index < session.ChunkCount; index++)
                {
                    var offset = session.ChunkOffset(index);
                    var chunkLength = session.ChunkLength(index);
                    await SendChunkAsync(session, index, () => new SlicedContent(makeContent, offset, chunkLength), false, cancellationToken).ConfigureAwait(false);
                }

                await CompleteUploadAsync(session, cancellationToken).ConfigureAwait(false);
                done = true;
            }
            finally
            {
                if (!done)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        await CancelUploadAsync(session.SessionId, cts.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is CloudreveException || ex is HttpRequestException || ex is OperationCanceledException)
                    {
                        TransportLog.Write($"Could not cancel the upload session of '{file.Path}': {ex.Message}");
                    }
                }
            }
        }

        /// <summary>Bytes [offset, offset+length) of another content, streamed (the rest is skipped, not kept).</summary>
        private sealed class SlicedContent : HttpContent
        {
            private readonly Func<HttpContent> _make;
            private readonly long _offset;
            private readonly long _length;

            public SlicedContent(Func<HttpContent> make, long offset, long length)
            {
                _make = make;
                _offset = offset;
                _length = length;
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                // CopyToAsync streams the whole inner body through a window that forwards only this chunk's bytes.
                using var inner = _make();
                var window = new WindowStream(stream, _offset, _length);
                await inner.CopyToAsync(window).ConfigureAwait(false);
                if (window.Forwarded != _length)
                {
                    throw new IOException($"The content ended after {window.Forwarded} of the chunk's {_length} bytes.");
                }
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _length;
                return true;
            }
        }

        /// <summary>A write-only stream that drops the first bytes, forwards the next ones and drops the rest.</summary>
        private sealed class WindowStream : Stream
        {
            private readonly Stream _target;
            private long _skip;
            private long _left;

            public WindowStream(Stream target, long skip, long length)
            {
                _target = target;
                _skip = skip;
                _left = length;
            }

            public long Forwarded { get; private set; }

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() => _target.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

            public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (_skip > 0)
                {
                    var dropped = (int)Math.Min(_skip, count);
                    _skip -= dropped;
                    offset += dropped;
                    count -= dropped;
                }

                var forward = (int)Math.Min(_left, count);
                if (forward > 0)
                {
                    await _target.WriteAsync(buffer, offset, forward, cancellationToken).ConfigureAwait(false);
                    _left -= forward;
                    Forwarded += forward;
                }
            }
        }
    }
}
