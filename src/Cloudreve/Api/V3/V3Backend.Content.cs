using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cloudreve.Transport;

namespace Cloudreve.Api.V3
{
    /// <summary>Whole-file content for the drive: PUT /file/download/{id} + GET of the signed link; PUT /file/update/{id}.</summary>
    internal sealed partial class V3Backend : IContentBackend
    {
        public async Task<Stream> OpenReadAsync(CloudreveFile file, CancellationToken cancellationToken)
        {
            var operation = $"Reading '{file.Path}'";
            var envelope = await SendAsync(HttpMethod.Put, "file/download/" + Uri.EscapeDataString(file.Id), null, operation, true, cancellationToken).ConfigureAwait(false);
            ThrowIfError(envelope, operation);
            if (!envelope.Data.HasValue || envelope.Data.Value.ValueKind != JsonValueKind.String)
            {
                throw new CloudreveException(CloudreveErrorKind.ProtocolError, $"{operation}: the server gave no download link.");
            }

            var link = _transport.Resolve(envelope.Data.Value.GetString() ?? string.Empty);
            var request = new HttpRequestMessage(HttpMethod.Get, link);
            var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                request.Dispose();
                throw new CloudreveException(status == 404 ? CloudreveErrorKind.NotFound : CloudreveErrorKind.ServerError,
                    $"{operation} failed: the download answered HTTP {status}.");
            }

            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return new OwnedStream(body, response, request);
        }

        public async Task ReplaceContentAsync(CloudreveFile file, byte[] content, CancellationToken cancellationToken)
        {
            var operation = $"Writing '{file.Path}'";
            var route = "file/update/" + Uri.EscapeDataString(file.Id);
            var envelope = await SendBytesOnceAsync(route, content, operation, cancellationToken).ConfigureAwait(false);
            if (envelope.Code == V3Errors.LoginRequired && Reauthenticate != null)
            {
                // Let the ordinary path log in again (once, shared), then repeat the upload.
                await SendAsync(HttpMethod.Get, "user/storage", null, operation, true, cancellationToken).ConfigureAwait(false);
                envelope = await SendBytesOnceAsync(route, content, operation, cancellationToken).ConfigureAwait(false);
            }

            if (envelope.Code == V3Errors.LoginRequired)
            {
                throw NotLoggedIn(operation);
            }

            ThrowIfError(envelope, operation);
        }

        private async Task<Envelope> SendBytesOnceAsync(string route, byte[] content, string operation, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(SiteUri, "api/v3/" + route)) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, _transport.Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return await ReadEnvelopeAsync(response).ConfigureAwait(false) ??
                throw new CloudreveException(response.StatusCode == HttpStatusCode.InternalServerError ? CloudreveErrorKind.ServerError : CloudreveErrorKind.ProtocolError,
                    $"{operation} failed: PUT /api/v3/{route} answered HTTP {(int)response.StatusCode} instead of a Cloudreve response.");
        }

        /// <summary>A response body that disposes its response (and request) with it.</summary>
        private sealed class OwnedStream : Stream
        {
            private readonly Stream _inner;
            private readonly IDisposable[] _owned;

            public OwnedStream(Stream inner, params IDisposable[] owned)
            {
                _inner = inner;
                _owned = owned;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

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
                    foreach (var owned in _owned)
                    {
                        owned.Dispose();
                    }
                }

                base.Dispose(disposing);
            }
        }
    }
}
