// A download stream read through the provider's runner, so that Ctrl+C interrupts a stalled read.

using System;
using System.IO;
using Cloudreve.Transport;

namespace Cloudreve.Provider
{
    public sealed partial class CloudreveProvider
    {
        /// <summary>
        /// A download read block by block through Run: Ctrl+C (Stopping) interrupts a read that waits
        /// on a slow or stalled server instead of blocking the pipeline thread.
        /// </summary>
        private sealed class StoppableStream : Stream
        {
            private readonly CloudreveProvider _provider;
            private readonly Stream _inner;

            public StoppableStream(CloudreveProvider provider, Stream inner)
            {
                _provider = provider;
                _inner = inner;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                try
                {
                    return _provider.Run(ct => _inner.ReadAsync(buffer, offset, count, ct));
                }
                catch (IOException ex)
                {
                    throw new CloudreveException(CloudreveErrorKind.ServerUnreachable, $"The download broke off: {ex.Message}", ex);
                }
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
